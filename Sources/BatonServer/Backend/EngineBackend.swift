// The API's storage: BatonEngine's stores over a PostgreSQL pool. Starting an execution writes it with its
// inbox row and NOTIFY in one transaction (ExecutionStore.start), so any coordinator picks it up; the server
// itself runs no interpreter. Engine errors keep their AWS names; database failures become 500s whose
// details stay in the log. Listing executions uses a keyset query here (newest first by start time, then
// ARN), so pages stay cheap however many executions there are.
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonSchema
import Foundation
import Logging

/// A StepFunctionsBackend over BatonEngine's stores.
public struct EngineBackend: StepFunctionsBackend {
    /// The connection pool.
    public let pool: PostgresPool
    /// Region, account and payload limit, shared with the coordinators.
    public let configuration: EngineConfiguration
    let machines: StateMachineStore
    let executions: ExecutionStore
    let history = HistoryStore()
    let logger: Logger

    /// A backend over `pool` with `configuration`.
    public init(pool: PostgresPool, configuration: EngineConfiguration, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.machines = StateMachineStore(configuration: configuration)
        self.executions = ExecutionStore(configuration: configuration)
        self.logger = logger
    }

    /// Runs `body` on a pooled connection, mapping engine errors to API errors.
    func run<T: Sendable>(_ what: String, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await pool.withConnection(body)
        } catch let error as APIError {
            throw error
        } catch let error as EngineError {
            throw Self.apiError(error, doing: what, logger: logger)
        } catch {
            logger.error("database failure", metadata: ["operation": "\(what)", "error": "\(String(describing: error))"])
            throw APIError.internalFailure("\(what) failed: the database did not answer as expected (see the server log)")
        }
    }

    static func apiError(_ error: EngineError, doing what: String, logger: Logger) -> APIError {
        switch error.code {
        case .database:
            logger.error("database failure", metadata: ["operation": "\(what)", "error": "\(error.message)"])
            return APIError.internalFailure("\(what) failed: the database did not answer as expected (see the server log)")
        case .invalidDefinition:
            return APIError("InvalidDefinition", "Invalid State Machine Definition: '\(error.message)'")
        default:
            return APIError(error.code.rawValue, error.message)
        }
    }

    static func record(_ description: StateMachineDescription) -> StateMachineRecord {
        StateMachineRecord(
            name: description.name, arn: description.arn, type: description.type, status: description.status,
            definition: description.definition, roleArn: description.roleArn, creationDate: description.creationDate,
            updateDate: description.updateDate, revisionId: description.revisionId.uuidString.lowercased())
    }

    static func record(_ description: ExecutionDescription) -> ExecutionRecord {
        ExecutionRecord(
            arn: description.arn, name: description.name, stateMachineArn: description.stateMachineArn,
            status: description.status, input: description.input, output: description.output, error: description.error,
            cause: description.cause, startDate: description.startDate, stopDate: description.stopDate,
            redriveCount: description.redriveCount, redriveDate: description.redriveDate,
            stateMachineVersionArn: description.stateMachineVersionArn, stateMachineAliasArn: description.stateMachineAliasArn)
    }

    public func createStateMachine(name: String, definition: JSON, roleArn: String, type: String) async throws
        -> StateMachineRecord
    {
        let machines = self.machines
        return try await run("CreateStateMachine") { connection in
            Self.record(try await machines.create(name: name, definition: definition, roleArn: roleArn, type: type, on: connection))
        }
    }

    public func updateStateMachine(name: String, definition: JSON?, roleArn: String?) async throws -> StateMachineRecord {
        let machines = self.machines
        let arn = configuration.stateMachineArn(name: name)
        return try await run("UpdateStateMachine") { connection in
            var newDefinition = definition
            if newDefinition == nil {
                guard let current = try await machines.describe(name, on: connection), current.status == "ACTIVE" else {
                    throw APIError.stateMachineDoesNotExist(arn)
                }
                newDefinition = try JSON(parsing: current.definition)
            }
            return Self.record(try await machines.update(name, definition: newDefinition!, roleArn: roleArn, on: connection))
        }
    }

    public func describeStateMachine(name: String) async throws -> StateMachineRecord? {
        let machines = self.machines
        return try await run("DescribeStateMachine") { connection in
            try await machines.describe(name, on: connection).map(Self.record)
        }
    }

    public func listStateMachines(afterName: String?, limit: Int) async throws -> [StateMachineRecord] {
        let machines = self.machines
        return try await run("ListStateMachines") { connection in
            let all = try await machines.list(on: connection)
            return Array(all.filter { afterName == nil || $0.name > afterName! }.prefix(limit).map(Self.record))
        }
    }

    public func deleteStateMachine(name: String) async throws {
        let machines = self.machines
        _ = try await run("DeleteStateMachine") { connection in try await machines.delete(name, on: connection) }
    }

    public func startExecution(stateMachine: String, name: String?, input: JSON) async throws -> ExecutionRecord {
        let executions = self.executions
        return try await run("StartExecution") { connection in
            Self.record(try await executions.start(stateMachine: stateMachine, input: input, name: name, on: connection))
        }
    }

    public func describeExecution(arn: String) async throws -> ExecutionRecord? {
        let executions = self.executions
        return try await run("DescribeExecution") { connection in
            try await executions.describe(arn, on: connection).map(Self.record)
        }
    }

    public func listExecutions(stateMachine: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]
    {
        let micros = cursor.map { Int64(($0.startDate.timeIntervalSince1970 * 1_000_000).rounded()) }
        let afterArn = cursor?.arn
        // A version or alias ARN: the executions started with that version or alias.
        let name = EngineConfiguration.stateMachineName(fromReference: stateMachine)
        let qualifier = EngineConfiguration.stateMachineQualifier(fromReference: stateMachine)
        let version = qualifier.flatMap { Int($0) }
        let alias = version == nil ? qualifier : nil
        return try await run("ListExecutions") { connection in
            let rows = try await connection.query(
                """
                -- Newest first; the cursor is the (start time, ARN) of the last row of the previous page, compared
                -- in whole microseconds (the precision timestamptz keeps). A DISTRIBUTED Map's child executions (an
                -- item's, not a Task's) are listed by their map run instead, as on AWS.
                SELECT \(Self.executionListColumns)
                FROM baton.executions e JOIN baton.state_machines m ON m.id = e.state_machine_id
                WHERE m.name = $1 AND ($2::text IS NULL OR e.status = $2)
                  AND NOT (e.parent_waits AND e.parent_task_attempt IS NULL)
                  AND ($6::int IS NULL OR e.started_with_version = $6) AND ($7::text IS NULL OR e.started_with_alias = $7)
                  AND ($3::bigint IS NULL
                       OR (e.started_at, e.arn) < (to_timestamp(0) + $3::bigint * interval '1 microsecond', $4::text))
                ORDER BY e.started_at DESC, e.arn DESC
                LIMIT $5
                """, [name, status, micros, afterArn, limit, version, alias], statementName: "baton_server_list_executions")
            return try rows.map(Self.executionRecord)
        }
    }

    /// The columns of a listed execution (`e` the execution, `m` its state machine), read by `executionRecord`.
    static let executionListColumns = """
        e.arn, e.name, m.arn, e.status, e.input, e.output, e.error, e.cause, e.started_at, e.stopped_at,
        e.redrive_count, e.redriven_at, e.started_with_version, e.started_with_alias
        """

    /// An execution from a row of `executionListColumns`.
    static func executionRecord(_ row: PostgresRow) throws -> ExecutionRecord {
        let machine = try row.decode(2, as: String.self)
        return ExecutionRecord(
            arn: try row.decode(0), name: try row.decode(1), stateMachineArn: machine,
            status: try row.decode(3), input: try row.decode(4), output: try row.decode(5),
            error: try row.decode(6), cause: try row.decode(7), startDate: try row.decode(8),
            stopDate: try row.decode(9), redriveCount: try row.decode(10), redriveDate: try row.decode(11),
            stateMachineVersionArn: try row.decode(12, as: Int?.self).map { "\(machine):\($0)" },
            stateMachineAliasArn: try row.decode(13, as: String?.self).map { "\(machine):\($0)" })
    }

    public func history(executionArn: String) async throws -> [HistoryRecord]? {
        let executions = self.executions
        let history = self.history
        return try await run("GetExecutionHistory") { connection in
            guard let execution = try await executions.describe(executionArn, on: connection) else { return nil }
            return try await history.read(executionId: execution.id, on: connection).map { event in
                HistoryRecord(
                    id: event.id, previousEventId: event.previousEventId, type: event.type, timestamp: event.timestamp,
                    detailsKey: event.detailsKey, details: event.details)
            }
        }
    }

    public func stopExecution(arn: String, error: String?, cause: String?) async throws -> ExecutionRecord {
        let executions = self.executions
        return try await run("StopExecution") { connection in
            Self.record(try await executions.stop(arn, error: error, cause: cause, on: connection))
        }
    }

    public func stateMachineForExecution(arn: String) async throws -> StateMachineRecord? {
        try await run("DescribeStateMachineForExecution") { connection in
            let rows = try await connection.query(
                """
                -- The version the execution started with, not the state machine's current one.
                SELECT m.name, m.arn, m.type, m.status, v.definition, v.role_arn, m.created_at, v.created_at, v.revision_id
                FROM baton.executions e
                JOIN baton.state_machines m ON m.id = e.state_machine_id
                JOIN baton.state_machine_versions v ON v.id = e.version_id
                WHERE e.arn = $1
                """, [arn], statementName: "baton_server_machine_for_execution")
            return try rows.first.map { row in
                StateMachineRecord(
                    name: try row.decode(0), arn: try row.decode(1), type: try row.decode(2), status: try row.decode(3),
                    definition: try row.decode(4), roleArn: try row.decode(5), creationDate: try row.decode(6),
                    updateDate: try row.decode(7), revisionId: (try row.decode(8, as: UUID.self)).uuidString.lowercased())
            }
        }
    }

    public func redriveExecution(arn: String, clientToken: String?) async throws -> Date {
        let executions = self.executions
        return try await run("RedriveExecution") { connection in
            try await executions.redrive(arn, clientToken: clientToken, on: connection)
        }
    }

    public func checkReady() async throws {
        do {
            try await pool.withConnection { connection in _ = try await SchemaCheck.verify(connection) }
        } catch let error as SchemaError {
            throw APIError.serviceUnavailable(error.description)
        } catch {
            throw APIError.serviceUnavailable("the database is not reachable: \(error)")
        }
    }
}
