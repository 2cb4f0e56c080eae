// Every statement on `baton.tasks` except claiming (Tasks+Claim.swift), reporting a result (Tasks+Complete.swift)
// and rescuing (TaskRescuer.swift): enqueueing, per-task heartbeats, and releasing a task a stopping worker
// will not finish. Hot statements run as named prepared statements (prepared once per connection).
//
// Leases: a claim gives the task a fresh `lease_token` (uuid) and a `lease_expires_at`; the worker's registry
// heartbeat (WorkerRegistry.heartbeat) pushes the expiry of all its running tasks forward. Every write a worker
// makes to a task is fenced by `id AND lease_token AND status = 'running'`, so once the rescuer or a coordinator
// has taken the task away (timed out, cancelled, redelivered with a new token on the next claim), the old
// holder's writes match no row.
import BatonJSON
import BatonPostgres
import Foundation
import Logging

/// The task queue (`baton.tasks`): enqueue, claim, heartbeat, complete, release.
public struct TaskQueue: Sendable {
    /// Where rejected results and other notable events are logged.
    public var logger: Logger

    /// A queue handle; it holds no connection (every call takes one).
    public init(logger: Logger = Logger(label: "baton.queue")) {
        self.logger = logger
    }

    /// "The task is still running", for fenced statements that find tasks by id (KeyedStatus.swift: a
    /// primary-key probe, not a read of the whole running-tasks index).
    public static func stillRunning(_ alias: String? = nil) -> String {
        KeyedStatus.is("running", alias: alias)
    }

    // MARK: enqueue

    /// Inserts `tasks` and notifies `QueueChannel.tasks` once per distinct function, in ONE statement, so in one
    /// transaction: the caller's, when `connection` is inside one (the coordinator inserts tasks in the same
    /// transaction that advances the execution), else the statement's own. Returns the new task ids in the order
    /// of `tasks`. The notification is delivered only when that transaction commits.
    @discardableResult
    public func enqueue(_ tasks: [NewTask], on connection: PostgresConnection) async throws -> [Int64] {
        guard !tasks.isEmpty else { return [] }
        return try Self.enqueuedIDs(try await connection.pipeline([enqueueStatement(tasks)])[0])
    }

    /// The one statement `enqueue` runs (insert and notify), to send in a pipeline with others; read its
    /// result with `enqueuedIDs(_:)`.
    public func enqueueStatement(_ tasks: [NewTask]) -> PostgresStatement {
        // One binary array per column (PostgresArray); inputs are text, so the stored text keeps its exact
        // key order.
        var executions = PostgresArray(of: .int8), items = PostgresArray(of: .int8)
        var states = PostgresArray(of: .text), functions = PostgresArray(of: .text), resources = PostgresArray(of: .text)
        var priorities = PostgresArray(of: .int4), runAfters = PostgresArray(of: .timestamptz)
        var attempts = PostgresArray(of: .int4), maxDeliveries = PostgresArray(of: .int4)
        var keys = PostgresArray(of: .text), timeouts = PostgresArray(of: .int4), heartbeats = PostgresArray(of: .int4)
        var inputs = PostgresArray(of: .text)
        for task in tasks {
            executions.append(task.executionID)
            items.append(task.fanOutItemID)
            states.append(task.stateName)
            functions.append(task.functionName)
            resources.append(task.resource)
            priorities.append(Int32(clamping: task.priority))
            runAfters.append(task.runAfter)
            attempts.append(Int32(clamping: task.attempt))
            maxDeliveries.append(Int32(clamping: task.maxDeliveries))
            keys.append(task.idempotencyKey)
            timeouts.append(task.timeoutSeconds.map { Int32(clamping: $0) })
            heartbeats.append(task.heartbeatSeconds.map { Int32(clamping: $0) })
            inputs.append(task.input)
        }
        return PostgresStatement(
            Self.enqueueSQL,
            [executions, items, states, functions, resources, priorities, runAfters, attempts, maxDeliveries, keys,
             timeouts, heartbeats, inputs, QueueChannel.tasks],
            statementName: "baton_enqueue_tasks")
    }

    /// The new tasks' ids, in the order they were given, from the result of `enqueueStatement(_:)`.
    public static func enqueuedIDs(_ rows: PostgresRows) throws -> [Int64] {
        try rows.map { try $0.decode(0, as: Int64.self) }
    }

    static let enqueueSQL = """
        -- The batch arrives as one binary array per column. WITH ORDINALITY + ORDER BY inserts in the caller's
        -- order, so the ids (taken in insertion order) sort the same way.
        WITH batch AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::integer[],
                                 $7::timestamptz[], $8::integer[], $9::integer[], $10::text[], $11::integer[],
                                 $12::integer[], $13::text[])
            WITH ORDINALITY AS b(execution_id, fan_out_item_id, state_name, function_name, resource, priority,
                run_after, attempt, max_deliveries, idempotency_key, timeout_seconds, heartbeat_seconds, input,
                position)
        ), inserted AS (
            INSERT INTO baton.tasks (
                execution_id, fan_out_item_id, state_name, function_name, resource, priority, run_after, attempt,
                max_deliveries, idempotency_key, timeout_seconds, heartbeat_seconds, input)
            SELECT execution_id, fan_out_item_id, state_name, function_name, resource, priority::smallint,
                   coalesce(run_after, now()), attempt, max_deliveries, idempotency_key,
                   timeout_seconds, heartbeat_seconds, input
            FROM batch ORDER BY position
            RETURNING id, function_name
        ), notified AS (
            -- One notification per function, in name order (the workers filter on the payload). Here, not in
            -- a second statement: the enqueue costs one round trip and needs no transaction of its own.
            SELECT count(pg_notify($14, function_name)) AS sent
            FROM (SELECT DISTINCT function_name FROM inserted ORDER BY function_name) f
        )
        SELECT id FROM inserted, notified ORDER BY id
        """

    // MARK: heartbeat

    /// A heartbeat for one task (the function called `heartbeat()`): moves `heartbeat_deadline_at` to now +
    /// HeartbeatSeconds and the lease to at least now + `leaseSeconds`. Fenced by the lease token: `.lost` means
    /// the task is no longer this holder's (timed out, cancelled, redelivered) and the work should stop.
    public func heartbeat(
        taskID: Int64, leaseToken: UUID, leaseSeconds: Double, on connection: PostgresConnection
    ) async throws -> TaskHeartbeatResult {
        let rows = try await connection.query(
            """
            -- Fenced: only the current holder (same token, still running) may move the deadlines.
            UPDATE baton.tasks
            SET heartbeat_deadline_at = now() + heartbeat_seconds * interval '1 second',
                lease_expires_at = greatest(lease_expires_at, now() + $3 * interval '1 second')
            WHERE id = $1 AND lease_token = $2 AND \(Self.stillRunning())
            RETURNING heartbeat_deadline_at
            """, [taskID, leaseToken, leaseSeconds], statementName: "baton_task_heartbeat")
        guard let row = rows.first else { return .lost }
        return .extended(heartbeatDeadlineAt: try row.decode(0, as: Date?.self))
    }

    // MARK: release

    /// Puts a task this worker holds back to `available` without a result (a stopping worker that will not finish
    /// it). The delivery is not counted against `max_deliveries`. Returns false if the task was no longer held
    /// under `leaseToken`.
    @discardableResult
    public func release(taskID: Int64, leaseToken: UUID, on connection: PostgresConnection) async throws -> Bool {
        let released = try await connection.transaction { connection in
            let rows = try await connection.query(
                """
                -- A release is not a lost delivery: give the delivery back (deliveries - 1) and clear the lease and
                -- the per-delivery deadlines, which the next claim sets afresh.
                UPDATE baton.tasks
                SET status = 'available', deliveries = greatest(deliveries - 1, 0), lease_owner = NULL,
                    lease_token = NULL, lease_expires_at = NULL, timeout_at = NULL, heartbeat_deadline_at = NULL
                WHERE id = $1 AND lease_token = $2 AND \(Self.stillRunning())
                RETURNING function_name
                """, [taskID, leaseToken], statementName: "baton_release_task")
            guard let function = try rows.first?.decode(0, as: String.self) else { return false }
            try await connection.execute(
                "SELECT pg_notify($1, $2)", [QueueChannel.tasks, function], statementName: "baton_notify")
            return true
        }
        return released
    }
}
