// What the API operations need from the place executions live. The HTTP layer (decoding, validation, error
// shapes, pagination tokens, AWS's response shapes) is written against this protocol; `EngineBackend`
// implements it over BatonEngine's stores in PostgreSQL, and tests can substitute an in-memory one.
// Implementations throw `APIError` for the conditions the Step Functions model names
// (StateMachineDoesNotExist, ExecutionAlreadyExists, InvalidDefinition, …); any other error becomes a 500.
import BatonJSON
import Foundation

/// A state machine as the API reports it.
public struct StateMachineRecord: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its ARN.
    public var arn: String
    /// `STANDARD` or `EXPRESS`.
    public var type: String
    /// `ACTIVE` or `DELETING`.
    public var status: String
    /// The current definition's JSON text.
    public var definition: String
    /// The role ARN given at creation or update.
    public var roleArn: String?
    /// When it was created.
    public var creationDate: Date
    /// When it was last updated.
    public var updateDate: Date
    /// The current definition's revision id.
    public var revisionId: String

    /// A record with these values.
    public init(
        name: String, arn: String, type: String, status: String, definition: String, roleArn: String?,
        creationDate: Date, updateDate: Date, revisionId: String
    ) {
        self.name = name
        self.arn = arn
        self.type = type
        self.status = status
        self.definition = definition
        self.roleArn = roleArn
        self.creationDate = creationDate
        self.updateDate = updateDate
        self.revisionId = revisionId
    }
}

/// An execution as the API reports it.
public struct ExecutionRecord: Sendable, Hashable {
    /// Its ARN.
    public var arn: String
    /// Its name.
    public var name: String
    /// Its state machine's ARN.
    public var stateMachineArn: String
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE.
    public var status: String
    /// The input JSON text.
    public var input: String
    /// The output JSON text, once succeeded.
    public var output: String?
    /// The error name, once failed.
    public var error: String?
    /// The cause, once failed.
    public var cause: String?
    /// When it started.
    public var startDate: Date
    /// When it stopped.
    public var stopDate: Date?
    /// How many times it was redriven.
    public var redriveCount: Int
    /// When it was last redriven.
    public var redriveDate: Date?
    /// The version ARN it was started with (a version or alias ARN), if any.
    public var stateMachineVersionArn: String?
    /// The alias ARN it was started with, if any.
    public var stateMachineAliasArn: String?

    /// A record with these values.
    public init(
        arn: String, name: String, stateMachineArn: String, status: String, input: String, output: String? = nil,
        error: String? = nil, cause: String? = nil, startDate: Date, stopDate: Date? = nil, redriveCount: Int = 0,
        redriveDate: Date? = nil, stateMachineVersionArn: String? = nil, stateMachineAliasArn: String? = nil
    ) {
        self.stateMachineVersionArn = stateMachineVersionArn
        self.stateMachineAliasArn = stateMachineAliasArn
        self.arn = arn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.status = status
        self.input = input
        self.output = output
        self.error = error
        self.cause = cause
        self.startDate = startDate
        self.stopDate = stopDate
        self.redriveCount = redriveCount
        self.redriveDate = redriveDate
    }
}

/// One history event as the API reports it.
public struct HistoryRecord: Sendable, Hashable {
    /// Event number, from 1.
    public var id: Int
    /// The event it follows from (0 for the first).
    public var previousEventId: Int
    /// AWS event type (`ExecutionStarted`, `TaskStateEntered`, …).
    public var type: String
    /// When it happened.
    public var timestamp: Date
    /// The details member name (`executionStartedEventDetails`, …), when the event has details.
    public var detailsKey: String?
    /// The details object (payloads as JSON strings, as AWS sends them).
    public var details: JSON

    /// A record with these values.
    public init(id: Int, previousEventId: Int, type: String, timestamp: Date, detailsKey: String?, details: JSON) {
        self.id = id
        self.previousEventId = previousEventId
        self.type = type
        self.timestamp = timestamp
        self.detailsKey = detailsKey
        self.details = details
    }
}

/// Where a listing of executions (newest first) or map runs (oldest first) goes on: the start date and ARN of
/// the previous page's last row.
public struct ExecutionCursor: Sendable, Hashable, Codable {
    /// The start date of the last execution of the previous page.
    public var startDate: Date
    /// Its ARN, the tie-breaker between executions started at the same instant.
    public var arn: String

    /// A cursor after this execution.
    public init(startDate: Date, arn: String) {
        self.startDate = startDate
        self.arn = arn
    }
}

/// The storage the API operations run against.
public protocol StepFunctionsBackend: Sendable {
    /// Creates a state machine (idempotent for the same definition and role, as AWS).
    func createStateMachine(name: String, definition: JSON, roleArn: String, type: String) async throws
        -> StateMachineRecord
    /// Adds a version with a new definition and/or role.
    func updateStateMachine(name: String, definition: JSON?, roleArn: String?) async throws -> StateMachineRecord
    /// The state machine named `name`, or nil.
    func describeStateMachine(name: String) async throws -> StateMachineRecord?
    /// State machines in name order, starting after `afterName`, at most `limit`.
    func listStateMachines(afterName: String?, limit: Int) async throws -> [StateMachineRecord]
    /// Deletes a state machine (or marks it DELETING while executions remain); no error when absent.
    func deleteStateMachine(name: String) async throws
    /// Starts an execution (idempotent by name for the same input; ExecutionAlreadyExists otherwise).
    func startExecution(stateMachine: String, name: String?, input: JSON) async throws -> ExecutionRecord
    /// The execution with this ARN, or nil.
    func describeExecution(arn: String) async throws -> ExecutionRecord?
    /// Executions of a state machine (its name; or a version or alias ARN: the executions started with it),
    /// newest first, after `cursor`, at most `limit`.
    func listExecutions(stateMachine: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]
    /// The execution's history in event order; nil when there is no such execution.
    func history(executionArn: String) async throws -> [HistoryRecord]?
    /// Asks for a running execution to stop; returns it (unchanged when it already finished).
    func stopExecution(arn: String, error: String?, cause: String?) async throws -> ExecutionRecord
    /// Throws when the backend cannot serve requests (database unreachable, schema mismatch).
    func checkReady() async throws
    /// The state machine version the execution `arn` runs (nil when there is no such execution).
    func stateMachineForExecution(arn: String) async throws -> StateMachineRecord?
    /// Claims one available task of `activity` for `workerName`, or nil when there is none now.
    func claimActivityTask(activity: String, workerName: String?) async throws -> ActivityTask?
    /// Completes the task of `token` with `output`.
    func sendTaskSuccess(token: String, output: String) async throws
    /// Fails the task of `token`.
    func sendTaskFailure(token: String, error: String?, cause: String?) async throws
    /// Records a heartbeat for the task of `token`.
    func sendTaskHeartbeat(token: String) async throws
    /// Creates an activity (idempotent by name); `tags` are set only when it is new.
    func createActivity(name: String, tags: [ResourceTag]) async throws -> ActivityRecord
    /// Deletes an activity; no error when absent.
    func deleteActivity(name: String) async throws
    /// The activity named `name`, or nil.
    func describeActivity(name: String) async throws -> ActivityRecord?
    /// Activities in name order, starting after `afterName`, at most `limit`.
    func listActivities(afterName: String?, limit: Int) async throws -> [ActivityRecord]
    /// Adds or replaces tags of the state machine or activity `arn` (ResourceNotFound, TooManyTags).
    func tagResource(arn: String, tags: [ResourceTag]) async throws
    /// Removes the tags with these keys from `arn` (ResourceNotFound).
    func untagResource(arn: String, keys: [String]) async throws
    /// The tags of `arn` in key order (ResourceNotFound).
    func listTags(arn: String) async throws -> [ResourceTag]
    /// Redrives a FAILED, ABORTED or TIMED_OUT execution; returns the redrive date (ExecutionNotRedrivable). A
    /// repeat with a recent `clientToken` of the same execution returns that redrive's date and redrives nothing.
    func redriveExecution(arn: String, clientToken: String?) async throws -> Date
    /// The map run `arn`, or nil when there is none.
    func describeMapRun(arn: String) async throws -> MapRunRecord?
    /// The map runs the execution `executionArn` started, in the order they started, after `cursor`; nil
    /// when there is no such execution.
    func listMapRuns(executionArn: String, after cursor: ExecutionCursor?, limit: Int) async throws -> [MapRunRecord]?
    /// Changes a running map run's MaxConcurrency and tolerated failures (each only when given); false when
    /// there is no map run `arn`.
    func updateMapRun(arn: String, maxConcurrency: Int?, toleratedFailureCount: Int?, toleratedFailurePercentage: Double?)
        async throws -> Bool
    /// Publishes the state machine's current revision (or returns the version that already publishes it); with
    /// `revisionId`, only if that is the current revision (ConflictException).
    func publishVersion(stateMachine: String, revisionId: String?, description: String?) async throws -> VersionRecord
    /// The state machine's published versions, newest first; nil when there is no such state machine.
    func listVersions(stateMachine: String) async throws -> [VersionRecord]?
    /// Version `number`, or nil.
    func describeVersion(stateMachine: String, number: Int) async throws -> VersionRecord?
    /// Deletes version `number` (ConflictException while an alias routes to it).
    func deleteVersion(stateMachine: String, number: Int) async throws
    /// Creates an alias (or returns it when it exists with the same configuration; else ConflictException).
    func createAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)])
        async throws -> AliasRecord
    /// Alias `name`, or nil.
    func describeAlias(stateMachine: String, name: String) async throws -> AliasRecord?
    /// The state machine's aliases by name; nil when there is no such state machine.
    func listAliases(stateMachine: String) async throws -> [AliasRecord]?
    /// Changes an alias's description and routes (each when given); nil when there is no such alias.
    func updateAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)]?)
        async throws -> AliasRecord?
    /// Deletes an alias (nothing when there is none).
    func deleteAlias(stateMachine: String, name: String) async throws
    /// The child executions of the map run `mapRunArn`, newest first, as `listExecutions`; nil when there is
    /// no such map run.
    func listMapRunExecutions(mapRunArn: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]?
}

extension StepFunctionsBackend {
    /// By default there are no map runs (a backend without DISTRIBUTED Maps).
    public func describeMapRun(arn: String) async throws -> MapRunRecord? { nil }
    /// By default there are no map runs: nil when the execution does not exist, else none.
    public func listMapRuns(executionArn: String, after cursor: ExecutionCursor?, limit: Int) async throws -> [MapRunRecord]? {
        try await describeExecution(arn: executionArn) == nil ? nil : []
    }
    /// By default there are no versions or aliases.
    public func publishVersion(stateMachine: String, revisionId: String?, description: String?) async throws -> VersionRecord {
        throw APIError.validation("this Baton keeps no state machine versions")
    }
    public func listVersions(stateMachine: String) async throws -> [VersionRecord]? { [] }
    public func describeVersion(stateMachine: String, number: Int) async throws -> VersionRecord? { nil }
    public func deleteVersion(stateMachine: String, number: Int) async throws {}
    public func createAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)])
        async throws -> AliasRecord { throw APIError.validation("this Baton keeps no state machine aliases") }
    public func describeAlias(stateMachine: String, name: String) async throws -> AliasRecord? { nil }
    public func listAliases(stateMachine: String) async throws -> [AliasRecord]? { [] }
    public func updateAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)]?)
        async throws -> AliasRecord? { nil }
    public func deleteAlias(stateMachine: String, name: String) async throws {}
    /// By default there are no map runs.
    public func updateMapRun(arn: String, maxConcurrency: Int?, toleratedFailureCount: Int?, toleratedFailurePercentage: Double?)
        async throws -> Bool { false }
    /// By default there are no map runs.
    public func listMapRunExecutions(mapRunArn: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]? { nil }

    /// By default the execution's state machine as it is now (a backend that keeps versions answers exactly).
    public func stateMachineForExecution(arn: String) async throws -> StateMachineRecord? {
        guard let execution = try await describeExecution(arn: arn) else { return nil }
        let name = execution.stateMachineArn.split(separator: ":").dropFirst(6).first.map(String.init) ?? ""
        return try await describeStateMachine(name: name)
    }
}

/// A backend for a server started without storage: every stateful operation answers 503.
public struct UnavailableBackend: StepFunctionsBackend {
    /// Why there is no storage.
    public var reason: String

    /// A backend that refuses everything, saying `reason`.
    public init(reason: String = "this Baton server has no database configured") {
        self.reason = reason
    }

    private func refuse() -> APIError { APIError.serviceUnavailable(reason) }

    public func createStateMachine(name: String, definition: JSON, roleArn: String, type: String) async throws
        -> StateMachineRecord
    { throw refuse() }
    public func updateStateMachine(name: String, definition: JSON?, roleArn: String?) async throws
        -> StateMachineRecord
    { throw refuse() }
    public func describeStateMachine(name: String) async throws -> StateMachineRecord? { throw refuse() }
    public func listStateMachines(afterName: String?, limit: Int) async throws -> [StateMachineRecord] {
        throw refuse()
    }
    public func deleteStateMachine(name: String) async throws { throw refuse() }
    public func startExecution(stateMachine: String, name: String?, input: JSON) async throws -> ExecutionRecord {
        throw refuse()
    }
    public func describeExecution(arn: String) async throws -> ExecutionRecord? { throw refuse() }
    public func listExecutions(stateMachine: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]
    { throw refuse() }
    public func history(executionArn: String) async throws -> [HistoryRecord]? { throw refuse() }
    public func stopExecution(arn: String, error: String?, cause: String?) async throws -> ExecutionRecord {
        throw refuse()
    }
    public func checkReady() async throws { throw refuse() }
}
