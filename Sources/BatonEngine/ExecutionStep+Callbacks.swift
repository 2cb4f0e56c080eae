// `.waitForTaskToken` tasks in the coordinator. The core puts a token in `$$.Task.Token` and asks for the task
// as usual; here the task's function runs as any other, and its token gets a baton.task_callbacks row (plus
// TimeoutSeconds / HeartbeatSeconds timers) in the transaction that enqueues it. The function's success does
// not end the state (InboxApplier); the state ends when:
//   - SendTaskSuccess/SendTaskFailure completed the row (CallbackStore) and its `callback_finished` inbox row
//     is applied here: the row's token must be the one the run still waits for, so a late or stale
//     delivery changes nothing;
//   - a timer fires while the row still waits: States.Timeout, or States.HeartbeatTimeout once the
//     heartbeat deadline (which SendTaskHeartbeat moves) has passed; a heartbeat timer that fires before the
//     moved deadline sets itself again at it (these timers carry {"callbackId"} and no task_id; a callback
//     task gets no task_timeout timer of its own);
//   - the function fails: the row is closed and the failure goes through Retry/Catch.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

/// A callback to record with its task.
struct NewCallback {
    var token: String
    var request: TaskRequest
}

/// Task tokens of `.waitForTaskToken` tasks.
public enum CallbackToken {
    /// Every callback token the engine makes starts with this (activity tokens start with `baton1.`).
    public static let prefix = "batoncb1."

    /// The nonce the core puts at the start of a token: the prefix and 128 bits from the system's secure
    /// random source, so a token cannot be guessed from the (seeded) rest.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined() + "."
    }
}

extension ExecutionStep {
    /// Inserts the callback rows (and their timeout timers) of the tasks just enqueued with `taskIds`.
    func flushCallbacks(taskIds: [Int64]) async throws {
        defer { newCallbacks.removeAll() }
        var records: [JSON] = []
        for (task, id) in zip(newTasks, taskIds) {
            guard let callback = newCallbacks[task.idempotencyKey] else { continue }
            records.append(Self.callbackRecord(callback.request, taskId: id, item: task.fanOutItemID))
        }
        try await insertCallbacks(records)
    }

    /// One element of `insertCallbacks`' records: the token `request` waits for, watched through task `taskId`.
    static func callbackRecord(_ request: TaskRequest, taskId: Int64, item: Int64?) -> JSON {
        var record: JSONObject = [
            "token": .string(request.taskToken ?? ""), "task_id": .number(.int(taskId)), "state_name": .string(request.stateName),
        ]
        if let item { record["fan_out_item_id"] = .number(.int(item)) }
        if let seconds = request.timeoutSeconds { record["timeout_seconds"] = .int(seconds) }
        if let seconds = request.heartbeatSeconds { record["heartbeat_seconds"] = .int(seconds) }
        return .object(record)
    }

    /// Inserts callback rows (`callbackRecord`s) and their TimeoutSeconds / HeartbeatSeconds timers.
    func insertCallbacks(_ records: [JSON]) async throws {
        guard !records.isEmpty else { return }
        let timers = try await connection.query(
            """
            WITH b AS (
                SELECT * FROM jsonb_to_recordset($2::jsonb) AS b(token text, task_id bigint, state_name text,
                    fan_out_item_id bigint, timeout_seconds integer, heartbeat_seconds integer)
            ), callbacks AS (
                INSERT INTO baton.task_callbacks (token, task_id, execution_id, fan_out_item_id, timeout_seconds,
                    heartbeat_seconds, timeout_at, heartbeat_deadline_at)
                SELECT token, task_id, $1, fan_out_item_id, timeout_seconds, heartbeat_seconds,
                       now() + timeout_seconds * interval '1 second', now() + heartbeat_seconds * interval '1 second'
                FROM b
                RETURNING id, task_id, fan_out_item_id, timeout_at, heartbeat_deadline_at
            )
            -- TimeoutSeconds counts from scheduling; HeartbeatSeconds from scheduling and then each heartbeat.
            -- No task_id: these timers watch the callback, not the function's run (whose result cancels the
            -- timers of its task).
            INSERT INTO baton.timers (execution_id, fan_out_item_id, state_name, kind, due_at, payload)
            SELECT $1, c.fan_out_item_id, b.state_name, k.kind, k.due,
                   json_build_object('callbackId', c.id)::text
            FROM callbacks c JOIN b ON b.task_id = c.task_id
            CROSS JOIN LATERAL (VALUES ('task_timeout', c.timeout_at), ('heartbeat_timeout', c.heartbeat_deadline_at))
                AS k(kind, due)
            WHERE k.due IS NOT NULL
            RETURNING extract(epoch FROM due_at)::float8
            """, [executionId, JSON.array(records)], statementName: "baton_engine_insert_callbacks")
        if let earliest = try timers.map({ try $0.decode(0, as: Double.self) }).min() {
            try await connection.execute(
                "SELECT pg_notify($1, $2)", [CoordinatorChannel.timers, String(earliest)],
                statementName: "baton_engine_notify_timers")
        }
    }

    /// Closes the waiting callbacks of a task whose function failed (their tokens are refused from now on).
    func closeCallbacks(taskId: Int64) async throws {
        try await connection.execute(
            """
            UPDATE baton.task_callbacks SET status = 'closed', finished_at = now() WHERE task_id = $1 AND status = 'waiting'
            """, [taskId], statementName: "baton_engine_close_callbacks")
        try await cancelCallbackTimers(taskId: taskId)
    }

    /// Applies a completed callback (SendTaskSuccess/SendTaskFailure) to the run waiting for its token.
    func applyCallback(_ callbackId: Int64, to key: RunKey) async throws {
        let rows = try await connection.query(
            """
            SELECT c.token, c.status, c.output, c.error, c.cause, c.task_id, t.status, t.started_at
            FROM baton.task_callbacks c JOIN baton.tasks t ON t.id = c.task_id WHERE c.id = $1
            """, [callbackId], statementName: "baton_engine_load_callback")
        guard let row = rows.first else { return }
        let token = try row.decode(0, as: String.self)
        let taskId = try row.decode(5, as: Int64.self)
        guard let pending = try await waitingTask(token: token, key: key) else { return }
        try await cancelCallbackTimers(taskId: taskId)
        try await recordStarted(pending, taskStatus: try row.decode(6), startedAt: try row.decode(7), taskId: taskId, key: key)
        switch try row.decode(1, as: String.self) {
        case "succeeded":
            let text = try row.decode(2, as: String?.self) ?? "null"
            if let output = try? JSON(parsing: text) {
                enqueue(.event(key, .taskSucceeded(taskId: pending.id, output: output)))
            } else {
                enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(
                    error: "States.TaskFailed", cause: "The callback output is not JSON"))))
            }
        case "failed":
            enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(
                error: try row.decode(3, as: String?.self) ?? "States.TaskFailed", cause: try row.decode(4)))))
        default:
            return
        }
    }

    /// A callback timer fired: fail the wait with States.Timeout / States.HeartbeatTimeout if it still waits.
    func applyCallbackTimer(_ timerId: Int64, to key: RunKey) async throws {
        let rows = try await connection.query(
            """
            SELECT t.kind, c.id, c.token, c.status, c.heartbeat_deadline_at <= clock_timestamp(),
                   c.heartbeat_deadline_at, c.task_id, t.state_name, k.status, k.started_at
            FROM baton.timers t
            JOIN baton.task_callbacks c ON c.id = (t.payload::jsonb ->> 'callbackId')::bigint
            JOIN baton.tasks k ON k.id = c.task_id
            WHERE t.id = $1
            """, [timerId], statementName: "baton_engine_callback_timer")
        guard let row = rows.first, try row.decode(3, as: String.self) == "waiting" else { return }
        let heartbeat = try row.decode(0, as: String.self) == "heartbeat_timeout"
        let callbackId = try row.decode(1, as: Int64.self)
        let taskId = try row.decode(6, as: Int64.self)
        if heartbeat, try row.decode(4, as: Bool?.self) != true, let deadline = try row.decode(5, as: Date?.self) {
            // A heartbeat moved the deadline after this timer was set: wait until the new one.
            try await connection.execute(
                """
                INSERT INTO baton.timers (execution_id, fan_out_item_id, state_name, kind, due_at, payload)
                VALUES ($1, $2, $3, 'heartbeat_timeout', $4, json_build_object('callbackId', $5::bigint)::text)
                """, [executionId, key.itemId, try row.decode(7, as: String.self), deadline, callbackId],
                statementName: "baton_engine_rearm_heartbeat")
            try await connection.execute(
                "SELECT pg_notify($1, $2)", [CoordinatorChannel.timers, String(deadline.timeIntervalSince1970)],
                statementName: "baton_engine_notify_timers")
            return
        }
        let error = heartbeat ? "States.HeartbeatTimeout" : "States.Timeout"
        try await connection.execute(
            """
            UPDATE baton.task_callbacks SET status = 'timed_out', error = $2, finished_at = now()
            WHERE id = $1 AND status = 'waiting'
            """, [callbackId, error], statementName: "baton_engine_time_out_callback")
        try await cancelCallbackTimers(taskId: taskId)
        // A function still running when the wait ends is stopped (its worker sees the task taken away).
        try await connection.execute(
            "UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE id = $1 AND \(TaskQueue.stillRunning())",
            [taskId], statementName: "baton_engine_cancel_callback_function")
        guard let pending = try await waitingTask(token: try row.decode(2), key: key) else { return }
        try await recordStarted(pending, taskStatus: try row.decode(8), startedAt: try row.decode(9), taskId: taskId, key: key)
        enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(error: error, cause: nil))))
    }

    /// The task the run `key` waits for, when it waits for exactly this token.
    private func waitingTask(token: String, key: RunKey) async throws -> TaskRequest? {
        guard let run = try await loadRun(key), let pending = run.pendingTask, pending.taskToken == token else { return nil }
        return pending
    }

    /// The wait ends: TaskStarted first, unless the run has it already (a worker announced the task, or its
    /// function's result was applied) — stamped with the claim when a worker claimed the task, else now, and
    /// then the task is taken back (a running function finishes; its result is then stale). The core records
    /// TaskStarted once, so asking again is harmless.
    private func recordStarted(_ pending: TaskRequest, taskStatus: String, startedAt: Date?, taskId: Int64,
                               key: RunKey) async throws {
        enqueue(.event(key, .taskStarted(taskId: pending.id), at: startedAt))
        guard taskStatus == "available" else { return }
        try await connection.execute(
            "UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE id = $1 AND \(KeyedStatus.is("available"))",
            [taskId], statementName: "baton_engine_cancel_callback_task")
    }

    private func cancelCallbackTimers(taskId: Int64) async throws {
        try await connection.execute(
            """
            UPDATE baton.timers SET status = 'cancelled'
            WHERE execution_id = $1 AND \(KeyedStatus.is("pending"))
              AND (payload::jsonb ->> 'callbackId')::bigint IN (SELECT id FROM baton.task_callbacks WHERE task_id = $2)
            """, [executionId, taskId], statementName: "baton_engine_cancel_callback_timers")
    }
}
