// What an operation handler gets besides its input: the backend, the ARN settings, the clock and a logger.
import BatonJSON
import Foundation
import Logging

/// The environment an operation runs in.
public struct OperationContext: Sendable {
    /// Where state machines and executions live.
    public var backend: any StepFunctionsBackend
    /// Region and account in ARNs.
    public var arns: ArnConfiguration
    /// The server clock.
    public var now: @Sendable () -> Date
    /// The request's logger (with `request.id` metadata).
    public var logger: Logger
    /// How long StartSyncExecution waits for an execution to finish.
    public var syncExecutionTimeout: Duration
    /// How long GetActivityTask waits for a task (AWS: 60 seconds).
    public var activityPollTimeout: Duration

    /// A context with these parts.
    public init(
        backend: any StepFunctionsBackend, arns: ArnConfiguration, now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger, syncExecutionTimeout: Duration = .seconds(300), activityPollTimeout: Duration = .seconds(60)
    ) {
        self.backend = backend
        self.arns = arns
        self.now = now
        self.logger = logger
        self.syncExecutionTimeout = syncExecutionTimeout
        self.activityPollTimeout = activityPollTimeout
    }

    /// Parses a state machine ARN from `field` and returns the state machine name; an ARN of another region or
    /// account names no state machine here.
    func stateMachineName(_ arnText: String, field: String) throws(APIError) -> String {
        let arn = try ResourceArn.parse(arnText, as: [.stateMachine], field: field)
        guard arn.isLocal(to: arns) else {
            throw APIError(
                "StateMachineDoesNotExist",
                "State Machine Does Not Exist: '\(arnText)' (this Baton serves region \(arns.region), account \(arns.account))")
        }
        return arn.name
    }

    /// Parses a state machine ARN that may carry a version number or alias name (`…:NAME:QUALIFIER`).
    func qualifiedStateMachine(_ arnText: String, field: String) throws(APIError) -> (name: String, qualifier: String?) {
        let name = try stateMachineName(arnText, field: field)
        return (name, try ResourceArn.parse(arnText, as: [.stateMachine], field: field).qualifier)
    }

    /// Parses a state machine version ARN (`…:NAME:NUMBER`) from `field`.
    func stateMachineVersion(_ arnText: String, field: String) throws(APIError) -> (name: String, number: Int) {
        let (name, qualifier) = try qualifiedStateMachine(arnText, field: field)
        guard let qualifier, let number = Int(qualifier), number > 0 else {
            throw APIError.validation("\(field): '\(arnText)' is not a state machine version ARN (…:stateMachine:NAME:NUMBER)")
        }
        return (name, number)
    }

    /// Parses a state machine alias ARN (`…:NAME:ALIAS`) from `field`.
    func stateMachineAlias(_ arnText: String, field: String) throws(APIError) -> (name: String, alias: String) {
        let (name, qualifier) = try qualifiedStateMachine(arnText, field: field)
        guard let qualifier, Int(qualifier) == nil else {
            throw APIError.validation("\(field): '\(arnText)' is not a state machine alias ARN (…:stateMachine:NAME:ALIAS)")
        }
        return (name, qualifier)
    }

    /// Parses an unqualified state machine ARN (no version or alias) from `field`.
    func unqualifiedStateMachine(_ arnText: String, field: String) throws(APIError) -> String {
        let (name, qualifier) = try qualifiedStateMachine(arnText, field: field)
        guard qualifier == nil else {
            throw APIError.validation("\(field): '\(arnText)' names a version or alias; give the state machine's own ARN")
        }
        return name
    }

    /// Parses an execution ARN from `field`; an ARN of another region or account names no execution here.
    func executionArn(_ arnText: String, field: String) throws(APIError) -> ResourceArn {
        let arn = try ResourceArn.parse(arnText, as: [.execution, .express], field: field)
        guard arn.isLocal(to: arns) else {
            throw APIError(
                "ExecutionDoesNotExist",
                "Execution Does Not Exist: '\(arnText)' (this Baton serves region \(arns.region), account \(arns.account))")
        }
        return arn
    }

    /// Parses a map run ARN from `field`; an ARN of another region or account names no map run here.
    func mapRunArn(_ arnText: String, field: String) throws(APIError) -> ResourceArn {
        let arn = try ResourceArn.parse(arnText, as: [.mapRun], field: field)
        guard arn.isLocal(to: arns) else { throw APIError.resourceNotFound(arnText) }
        return arn
    }
}

/// An operation: input members in, output members out.
public typealias OperationHandler = @Sendable (RequestFields, OperationContext) async throws -> JSON
