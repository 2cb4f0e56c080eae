// Deployment-wide settings every engine component shares: the region and account that appear in ARNs, and
// the payload limit handed to the pure core. The defaults are AWS's documentation placeholders, the same as
// `baton run` uses, so a definition prints the same `$$.Execution.Id` locally and through the engine.
import Foundation

/// Deployment-wide settings of the engine.
public struct EngineConfiguration: Sendable, Hashable {
    /// The region in ARNs (default `us-east-1`).
    public var region: String
    /// The account id in ARNs (default `123456789012`).
    public var account: String
    /// The largest state output in bytes before `States.DataLimitExceeded` (default 256 KiB, as on AWS;
    /// `nil` means no limit).
    public var payloadSizeLimit: Int?

    /// Settings with these values.
    public init(region: String = "us-east-1", account: String = "123456789012", payloadSizeLimit: Int? = 256 * 1024) {
        self.region = region
        self.account = account
        self.payloadSizeLimit = payloadSizeLimit
    }

    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`.
    public func stateMachineArn(name: String) -> String {
        "arn:aws:states:\(region):\(account):stateMachine:\(name)"
    }

    /// `arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME`.
    public func executionArn(stateMachineName: String, executionName: String) -> String {
        "arn:aws:states:\(region):\(account):execution:\(stateMachineName):\(executionName)"
    }

    /// `arn:aws:states:REGION:ACCOUNT:express:STATE_MACHINE:NAME:ID`, the ARN AWS gives an execution of an
    /// EXPRESS state machine (ID a UUID of its own).
    public func expressExecutionArn(stateMachineName: String, executionName: String, id: String) -> String {
        "arn:aws:states:\(region):\(account):express:\(stateMachineName):\(executionName):\(id)"
    }

    /// The role ARN an execution reports when its state machine has none (the same as the local runner's).
    public var defaultRoleArn: String { "arn:aws:iam::\(account):role/baton-execution-role" }

    /// The state machine name in a state machine ARN, or `reference` itself when it is not an ARN.
    public static func stateMachineName(fromReference reference: String) -> String {
        guard reference.hasPrefix("arn:"), let range = reference.range(of: ":stateMachine:") else { return reference }
        let rest = reference[range.upperBound...]
        // A version or alias ARN (`…:NAME:3`) names the state machine NAME.
        return String(rest.split(separator: ":", maxSplits: 1).first ?? Substring(rest))
    }

    /// The version number or alias name a qualified state machine ARN (`…:stateMachine:NAME:QUALIFIER`)
    /// carries, or nil.
    public static func stateMachineQualifier(fromReference reference: String) -> String? {
        guard reference.hasPrefix("arn:"), let range = reference.range(of: ":stateMachine:") else { return nil }
        let parts = reference[range.upperBound...].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[1]) : nil
    }
}
