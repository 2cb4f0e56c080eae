// Step Functions ARNs: `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`, `…:execution:MACHINE:NAME`,
// `…:activity:NAME`, `…:mapRun:MACHINE/LABEL:ID`, `…:express:MACHINE:NAME:ID`. Parsing checks the shape (InvalidArn when malformed or of the wrong kind for the field)
// and that region and account are the ones this server is configured with: a well-formed ARN of another
// region or account names nothing here, so it is reported as not found by the caller.
import Foundation

/// A parsed Step Functions ARN.
public struct ResourceArn: Sendable, Hashable, CustomStringConvertible {
    /// What the ARN names.
    public enum Kind: String, Sendable, Hashable {
        /// `stateMachine:NAME` (optionally `:VERSION` or `:ALIAS`).
        case stateMachine
        /// `execution:MACHINE:NAME`.
        case execution
        /// `activity:NAME`.
        case activity
        /// `mapRun:MACHINE/LABEL:ID` (a DISTRIBUTED Map's map run).
        case mapRun
        /// `express:MACHINE:NAME:ID` (an execution of an EXPRESS state machine).
        case express
    }

    /// The ARN text.
    public var text: String
    /// The partition (`aws`).
    public var partition: String
    /// The region.
    public var region: String
    /// The account id.
    public var account: String
    /// What it names.
    public var kind: Kind
    /// The state machine name (for a state machine or execution), the activity name, or `MACHINE/LABEL` for a
    /// map run.
    public var name: String
    /// The execution name, for an execution; the version or alias, for a qualified state machine ARN; the map
    /// run id, for a map run.
    public var qualifier: String?

    public var description: String { text }

    /// Parses `text`, which must name one of `kinds`; `field` names the request member in errors.
    public static func parse(_ text: String, as kinds: Set<Kind>, field: String) throws(APIError) -> ResourceArn {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 7, parts[0] == "arn" else {
            throw APIError.invalidArn("Invalid ARN prefix: \(text) (in \(field))")
        }
        guard parts[2] == "states" else {
            throw APIError.invalidArn("Invalid service in ARN: \(parts[2]) (in \(field); expected states)")
        }
        guard let kind = Kind(rawValue: parts[5]), kinds.contains(kind) else {
            let wanted = kinds.map(\.rawValue).sorted().joined(separator: " or ")
            throw APIError.invalidArn("Resource type not valid in this context: \(parts[5]) (\(field) must be a \(wanted) ARN)")
        }
        let rest = Array(parts[6...])
        guard rest.allSatisfy({ !$0.isEmpty }) else {
            throw APIError.invalidArn("Invalid ARN: \(text) has an empty name (in \(field))")
        }
        var arn = ResourceArn(
            text: text, partition: parts[1], region: parts[3], account: parts[4], kind: kind, name: rest[0],
            qualifier: nil)
        switch kind {
        case .stateMachine:
            guard rest.count <= 2 else { throw APIError.invalidArn("Invalid state machine ARN: \(text) (in \(field))") }
            arn.qualifier = rest.count == 2 ? rest[1] : nil
        case .execution:
            guard rest.count == 2 else {
                throw APIError.invalidArn("Invalid execution ARN: \(text) (in \(field); expected …:execution:MACHINE:NAME)")
            }
            arn.qualifier = rest[1]
        case .activity:
            guard rest.count == 1 else { throw APIError.invalidArn("Invalid activity ARN: \(text) (in \(field))") }
        case .express:
            guard rest.count == 3 else {
                throw APIError.invalidArn("Invalid express execution ARN: \(text) (in \(field); expected …:express:MACHINE:NAME:ID)")
            }
            arn.qualifier = rest[1]
        case .mapRun:
            guard rest.count == 2, rest[0].contains("/") else {
                throw APIError.invalidArn("Invalid map run ARN: \(text) (in \(field); expected …:mapRun:MACHINE/LABEL:ID)")
            }
            arn.qualifier = rest[1]
        }
        return arn
    }

    /// Whether the ARN belongs to this server's region and account.
    public func isLocal(to configuration: ArnConfiguration) -> Bool {
        region == configuration.region && account == configuration.account
    }

    /// The execution name (for an execution ARN).
    public var executionName: String? { kind == .execution || kind == .express ? qualifier : nil }
}

/// The region and account this server writes into ARNs.
public struct ArnConfiguration: Sendable, Hashable {
    /// The region (default `us-east-1`, as `baton run` and the engine use).
    public var region: String
    /// The account id (default `123456789012`).
    public var account: String

    /// Region and account.
    public init(region: String = "us-east-1", account: String = "123456789012") {
        self.region = region
        self.account = account
    }

    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`.
    public func stateMachine(_ name: String) -> String { "arn:aws:states:\(region):\(account):stateMachine:\(name)" }

    /// `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`.
    public func execution(machine: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):execution:\(machine):\(name)"
    }

    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`.
    public func activity(_ name: String) -> String { "arn:aws:states:\(region):\(account):activity:\(name)" }
}
