// Shared by the BatonWorkerTests suites: a fresh migrated database per test with one execution to hang tasks
// on, helpers to read task and inbox rows, and `baton worker` as a real child process.
import BatonPostgres
import BatonQueue
import BatonSchema
import BatonTestSupport
import Foundation
import Logging
import Testing

/// A migrated database for one test, with an execution (`executionID`) tasks can belong to.
struct QueueTestDatabase: Sendable {
    let configuration: PostgresConfiguration
    let executionID: Int64

    /// Creates database `baton_test_worker_NAME`, migrates it and inserts a state machine, a version and an execution.
    static func create(_ name: String) async throws -> QueueTestDatabase {
        let configuration = try await TestDatabase.create(suite: "worker_\(name)")
        let executionID = try await withConnection(configuration) { connection -> Int64 in
            try await Migrator().migrate(connection)
            let rows = try await connection.query(
                """
                WITH sm AS (
                    INSERT INTO baton.state_machines (name, arn)
                    VALUES ('machine', 'arn:aws:states:us-east-1:123456789012:stateMachine:machine') RETURNING id
                ), version AS (
                    INSERT INTO baton.state_machine_versions (state_machine_id, version_number, revision_id, definition, definition_json)
                    SELECT id, 1, gen_random_uuid(), '{}', '{}' FROM sm RETURNING id, state_machine_id
                )
                INSERT INTO baton.executions (arn, name, state_machine_id, version_id, input)
                SELECT 'arn:aws:states:us-east-1:123456789012:execution:machine:run', 'run', state_machine_id, id, '{}'
                FROM version RETURNING id
                """)
            return try rows[0].decode(0, as: Int64.self)
        }
        return QueueTestDatabase(configuration: configuration, executionID: executionID)
    }

    /// Runs `body` on a new connection, closed afterwards whatever happens.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.withConnection(configuration, body)
    }

    static func withConnection<T: Sendable>(
        _ configuration: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A task of this database's execution.
    func task(
        _ function: String = "echo", state: String = "Step", input: String = "{}", priority: Int = 1,
        runAfter: Date? = nil, timeoutSeconds: Int? = nil, heartbeatSeconds: Int? = nil, maxDeliveries: Int = 3
    ) -> NewTask {
        NewTask(
            executionID: executionID, stateName: state, functionName: function, resource: "arn:aws:states:::lambda:invoke",
            input: input, timeoutSeconds: timeoutSeconds, heartbeatSeconds: heartbeatSeconds, priority: priority,
            runAfter: runAfter, maxDeliveries: maxDeliveries)
    }

    /// Enqueues `tasks` on a connection of its own; returns their ids.
    @discardableResult
    func enqueue(_ tasks: [NewTask]) async throws -> [Int64] {
        try await withConnection { try await TaskQueue(logger: TestDatabase.logger).enqueue(tasks, on: $0) }
    }

    /// One task row as the tests look at it.
    struct TaskRow: Sendable, Equatable {
        var id: Int64
        var status: String
        var output: String?
        var error: String?
        var cause: String?
        var deliveries: Int
        var leaseOwner: String?
    }

    func taskRow(_ id: Int64) async throws -> TaskRow {
        try await taskRows().first { $0.id == id }!
    }

    func taskRows() async throws -> [TaskRow] {
        try await withConnection { connection in
            try await connection.query(
                "SELECT id, status, output, error, cause, deliveries, lease_owner FROM baton.tasks ORDER BY id"
            ).map { row in
                TaskRow(
                    id: try row.decode("id"), status: try row.decode("status"), output: try row.decode("output"),
                    error: try row.decode("error"), cause: try row.decode("cause"), deliveries: try row.decode("deliveries"),
                    leaseOwner: try row.decode("lease_owner"))
            }
        }
    }

    /// The task ids of the `task_finished` inbox rows, in arrival order.
    func inboxTaskIDs() async throws -> [Int64] {
        try await withConnection { connection in
            try await connection.query("SELECT task_id FROM baton.inbox WHERE kind = 'task_finished' ORDER BY id")
                .map { try $0.decode(0, as: Int64.self) }
        }
    }

    /// Waits until every task in `ids` has a `task_finished` inbox row.
    func waitForInbox(_ ids: [Int64], timeout: Duration = .seconds(20)) async throws {
        try await waitUntil("inbox rows for tasks \(ids)", timeout: timeout, poll: .milliseconds(50)) {
            Set(try await inboxTaskIDs()).isSuperset(of: ids)
        }
    }

    /// Registers a worker row directly (for rescuer tests), optionally with an old heartbeat.
    func registerWorker(_ id: String, heartbeatSecondsAgo: Double = 0) async throws {
        try await withConnection { connection in
            try await WorkerRegistry(logger: TestDatabase.logger).register(
                WorkerRegistration(workerID: id, functionNames: ["echo"], host: "test", pid: 1, version: nil, concurrency: 1),
                on: connection)
            try await connection.execute(
                "UPDATE baton.workers SET last_heartbeat_at = now() - $2 * interval '1 second' WHERE worker_id = $1",
                [id, heartbeatSecondsAgo])
        }
    }

    /// A database URL for child processes.
    var url: String {
        get throws {
            let server = try #require(ProcessInfo.processInfo.environment[TestDatabase.urlVariable])
            let database = try #require(configuration.database)
            let slash = try #require(server.lastIndex(of: "/"))
            return String(server[..<slash]) + "/" + database
        }
    }
}

/// A test logger (warnings and worse unless BATON_TEST_LOG_LEVEL says otherwise).
var testLogger: Logger { TestDatabase.logger }

/// A value behind a lock, for test bookkeeping.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ newValue: Value) { lock.lock(); value = newValue; lock.unlock() }
    func mutate<R>(_ body: (inout Value) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
