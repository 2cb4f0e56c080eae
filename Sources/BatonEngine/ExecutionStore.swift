// baton.executions: start (idempotent by name), describe, list, stop.
//
// Starting writes the execution row, an `execution_started` inbox row and a NOTIFY on the coordinators'
// channel in one transaction: either the execution exists and a coordinator will start it, or nothing
// happened. Stopping only records a `stop_requested` inbox row; the coordinator that applies it stops the
// runs through the pure core (so the history says ExecutionAborted) and cancels tasks and timers.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

/// An execution as `describe-execution` reports it.
public struct ExecutionDescription: Sendable, Hashable {
    /// Internal id.
    public var id: Int64
    /// Its ARN.
    public var arn: String
    /// Its name.
    public var name: String
    /// The state machine's ARN.
    public var stateMachineArn: String
    /// The state machine's name.
    public var stateMachineName: String
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.
    public var status: String
    /// The input JSON text.
    public var input: String
    /// The output JSON text, when succeeded.
    public var output: String?
    /// The error, when failed.
    public var error: String?
    /// The cause, when failed.
    public var cause: String?
    /// When it started.
    public var startDate: Date
    /// When it stopped.
    public var stopDate: Date?
    /// How many times it was redriven.
    public var redriveCount: Int
    /// When it was last redriven (nil if never).
    public var redriveDate: Date? = nil
    /// The published version it was started with (a version or alias ARN), if any.
    public var startedWithVersion: Int? = nil
    /// The alias it was started with, if any.
    public var startedWithAlias: String? = nil

    /// `…:stateMachine:NAME:NUMBER` when it was started with a version or an alias.
    public var stateMachineVersionArn: String? { startedWithVersion.map { "\(stateMachineArn):\($0)" } }
    /// `…:stateMachine:NAME:ALIAS` when it was started with an alias.
    public var stateMachineAliasArn: String? { startedWithAlias.map { "\(stateMachineArn):\($0)" } }

    /// AWS's DescribeExecution JSON.
    public func awsJSON() -> JSON {
        var object: JSONObject = [
            "executionArn": .string(arn), "stateMachineArn": .string(stateMachineArn), "name": .string(name),
            "status": .string(status), "startDate": .string(ASLTime.format(startDate)),
        ]
        if let stopDate { object["stopDate"] = .string(ASLTime.format(stopDate)) }
        object["input"] = .string(input)
        object["inputDetails"] = ["included": true]
        if let output {
            object["output"] = .string(output)
            object["outputDetails"] = ["included": true]
        }
        if let error { object["error"] = .string(error) }
        if let cause { object["cause"] = .string(cause) }
        object["redriveCount"] = .int(redriveCount)
        if let stateMachineVersionArn { object["stateMachineVersionArn"] = .string(stateMachineVersionArn) }
        if let stateMachineAliasArn { object["stateMachineAliasArn"] = .string(stateMachineAliasArn) }
        return .object(object)
    }
}

/// Reads and writes executions.
public struct ExecutionStore: Sendable {
    /// ARNs and limits.
    public var configuration: EngineConfiguration

    /// A store using `configuration` for ARNs and the input size limit.
    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
    }

    /// Starts an execution of the state machine `stateMachine` (name or ARN) with `input`, named `name`
    /// (default: a random UUID). Starting again with the same name and input returns the existing execution
    /// (whatever its status); a different input is `ExecutionAlreadyExists`. With `versionId`, the execution
    /// runs that version of the state machine (`StateMachineDescription.versionId`) instead of the current one,
    /// so a caller that just registered a definition runs exactly it even if someone updates it meanwhile.
    @discardableResult
    public func start(stateMachine: String, input: JSON? = nil, name: String? = nil, versionId: Int64? = nil,
                      on connection: PostgresConnection) async throws -> ExecutionDescription {
        try await start(stateMachine: stateMachine, input: input, name: name, versionId: versionId, parent: nil,
                        on: connection).execution
    }

    /// `start`, for a child execution too: with `parent`, the row is linked to the parent's Task state
    /// (ExecutionStep+Child.swift). Also says whether this call created the execution or found it.
    func start(stateMachine: String, input: JSON?, name: String?, versionId: Int64?, parent: ParentLink?,
               on connection: PostgresConnection) async throws -> (execution: ExecutionDescription, created: Bool) {
        let executionName = name ?? UUID().uuidString.lowercased()
        try AWSName.check(executionName, what: "execution")
        let input = input ?? JSON.object(JSONObject())
        let inputText = input.serialized()
        if let limit = configuration.payloadSizeLimit, inputText.utf8.count > limit {
            throw EngineError(.invalidExecutionInput, "the input is \(inputText.utf8.count) bytes, over the \(limit)-byte limit")
        }
        let machineName = EngineConfiguration.stateMachineName(fromReference: stateMachine)
        do {
            return try await connection.transaction { connection in
                let machines = try await connection.query(
                    """
                    SELECT m.id, coalesce(v.id, m.current_version_id), m.status, m.type FROM baton.state_machines m
                    LEFT JOIN baton.state_machine_versions v ON v.id = $2 AND v.state_machine_id = m.id
                    WHERE m.name = $1
                    """, [machineName, versionId], statementName: "baton_engine_sm_for_start")
                guard let machine = machines.first else {
                    throw EngineError(.stateMachineDoesNotExist, "no state machine named \(machineName)")
                }
                guard try machine.decode(2, as: String.self) == "ACTIVE" else {
                    throw EngineError(.stateMachineDeleting, "state machine \(machineName) is being deleted")
                }
                // An EXPRESS state machine's executions have AWS's express ARNs (`…:express:MACHINE:NAME:ID`).
                let arn = try machine.decode(3, as: String.self) == "EXPRESS"
                    ? configuration.expressExecutionArn(stateMachineName: machineName, executionName: executionName,
                                                        id: UUID().uuidString.lowercased())
                    : configuration.executionArn(stateMachineName: machineName, executionName: executionName)
                // A version or alias ARN runs that published version (an alias: one of its versions by weight).
                var resolved: ResolvedQualifier?
                if versionId == nil, let qualifier = EngineConfiguration.stateMachineQualifier(fromReference: stateMachine) {
                    resolved = try await StateMachineVersionStore(configuration: configuration).resolve(
                        machineName, qualifier: qualifier, pick: Int.random(in: 0..<100), on: connection)
                }
                let inserted = try await connection.query(
                    """
                    -- ON CONFLICT DO NOTHING makes a repeated start find the first one instead of failing; a
                    -- concurrent start of the same name waits for ours to commit, then finds it.
                    WITH execution AS (
                        INSERT INTO baton.executions (arn, name, state_machine_id, version_id, input, parent_execution_id,
                            parent_fan_out_item_id, parent_state_name, parent_task_attempt, parent_waits,
                            started_with_version, started_with_alias)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, false), $11, $12)
                        ON CONFLICT (state_machine_id, name) DO NOTHING
                        RETURNING id
                    ), work AS (
                        INSERT INTO baton.inbox (execution_id, kind)
                        SELECT id, 'execution_started' FROM execution RETURNING execution_id
                    )
                    SELECT execution_id, pg_notify('\(QueueChannel.inbox)', 'execution_started')::text FROM work
                    """,
                    [arn, executionName, try machine.decode(0, as: Int64.self), try resolved?.versionId ?? machine.decode(1, as: Int64.self),
                     inputText, parent?.executionId, parent?.fanOutItemId, parent?.stateName, parent?.attempt, parent?.waits,
                     resolved?.versionNumber, resolved?.alias],
                    statementName: "baton_engine_start_execution")
                // The new execution by its id; a repeated start finds the first one by name (a repeated start of
                // an EXPRESS execution made a new ARN). (By name only then: on a freshly filled table the planner
                // once chose to read every execution of the machine for it, 4,800 pages a start.)
                let found: ExecutionDescription?
                if let id = try inserted.first?.decode(0, as: Int64.self) {
                    found = try await describe(id: id, on: connection)
                } else {
                    found = try await connection.query(
                        Self.selectSQL + " WHERE e.state_machine_id = $1 AND e.name = $2",
                        [try machine.decode(0, as: Int64.self), executionName], statementName: "baton_engine_describe_started_execution"
                    ).first.map(Self.description(from:))
                }
                guard let existing = found else {
                    throw EngineError(.executionDoesNotExist, "execution \(arn) vanished while starting")
                }
                if inserted.isEmpty, (try? JSON(parsing: existing.input)) != input {
                    throw EngineError(.executionAlreadyExists,
                                      "an execution named \(executionName) of \(machineName) already exists with a different input (\(existing.arn))")
                }
                return (existing, !inserted.isEmpty)
            }
        } catch {
            throw EngineError.database("start-execution \(machineName)", error)
        }
    }

    /// The execution with ARN `arn`, or nil.
    public func describe(_ arn: String, on connection: PostgresConnection) async throws -> ExecutionDescription? {
        let rows = try await connection.query(Self.selectSQL + " WHERE e.arn = $1", [arn], statementName: "baton_engine_describe_execution")
        return try rows.first.map(Self.description(from:))
    }

    /// The execution with internal id `id`, or nil.
    func describe(id: Int64, on connection: PostgresConnection) async throws -> ExecutionDescription? {
        let rows = try await connection.query(Self.selectSQL + " WHERE e.id = $1", [id], statementName: "baton_engine_describe_execution_id")
        return try rows.first.map(Self.description(from:))
    }

    /// Executions, newest first: of one state machine (name or ARN) when given, with one status when given.
    /// With a version or alias ARN, the executions started with that version or alias, as AWS lists them.
    /// The child executions of DISTRIBUTED Map items are left out, as AWS's ListExecutions leaves them out
    /// unless asked for one map run.
    public func list(stateMachine: String? = nil, status: String? = nil, limit: Int = 1000,
                     on connection: PostgresConnection) async throws -> [ExecutionDescription] {
        let machine = stateMachine.map(EngineConfiguration.stateMachineName(fromReference:))
        let qualifier = stateMachine.flatMap(EngineConfiguration.stateMachineQualifier(fromReference:))
        let version = qualifier.flatMap { Int($0) }
        let alias = version == nil ? qualifier : nil
        let rows = try await connection.query(
            Self.selectSQL + " WHERE ($1::text IS NULL OR m.name = $1) AND ($2::text IS NULL OR e.status = $2)"
                + " AND ($4::int IS NULL OR e.started_with_version = $4) AND ($5::text IS NULL OR e.started_with_alias = $5)"
                + " AND NOT (e.parent_waits AND e.parent_task_attempt IS NULL)"
                + " ORDER BY e.started_at DESC, e.id DESC LIMIT $3",
            [machine, status, limit, version, alias])
        return try rows.map(Self.description(from:))
    }

    /// Asks the coordinators to stop a running execution (`ExecutionAborted` with this error and cause).
    /// Returns the execution; stopping one that already finished changes nothing.
    @discardableResult
    public func stop(_ arn: String, error: String? = nil, cause: String? = nil,
                     on connection: PostgresConnection) async throws -> ExecutionDescription {
        var details = JSONObject()
        if let error { details["error"] = .string(error) }
        if let cause { details["cause"] = .string(cause) }
        let detailsJSON = JSON.object(details)
        do {
            return try await connection.transaction { connection in
                guard let execution = try await describe(arn, on: connection) else {
                    throw EngineError(.executionDoesNotExist, "no execution with ARN \(arn)")
                }
                guard execution.status == "RUNNING" else { return execution }
                try await connection.execute(
                    """
                    -- FOR KEY SHARE: the execution cannot be deleted before this commits (inbox rows have no
                    -- foreign key; migration 0010), so no stop request outlives its execution.
                    INSERT INTO baton.inbox (execution_id, kind, details)
                    SELECT id, 'stop_requested', $2 FROM baton.executions WHERE id = $1 FOR KEY SHARE
                    """, [execution.id, detailsJSON])
                try await connection.execute("SELECT pg_notify($1, 'stop_requested')", [QueueChannel.inbox])
                return execution
            }
        } catch {
            throw EngineError.database("stop-execution \(arn)", error)
        }
    }

    static let selectSQL = """
        SELECT e.id, e.arn, e.name, m.arn, m.name, e.status, e.input, e.output, e.error, e.cause, e.started_at,
               e.stopped_at, e.redrive_count, e.redriven_at, e.started_with_version, e.started_with_alias
        FROM baton.executions e JOIN baton.state_machines m ON m.id = e.state_machine_id
        """

    static func description(from row: PostgresRow) throws -> ExecutionDescription {
        ExecutionDescription(
            id: try row.decode(0), arn: try row.decode(1), name: try row.decode(2), stateMachineArn: try row.decode(3),
            stateMachineName: try row.decode(4), status: try row.decode(5), input: try row.decode(6),
            output: try row.decode(7), error: (try row.decode(8, as: String?.self)).flatMap { $0.isEmpty ? nil : $0 },
            cause: try row.decode(9), startDate: try row.decode(10),
            stopDate: try row.decode(11), redriveCount: try row.decode(12), redriveDate: try row.decode(13),
            startedWithVersion: try row.decode(14), startedWithAlias: try row.decode(15))
    }
}
