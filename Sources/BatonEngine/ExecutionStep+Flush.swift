// Writing a step's results: the execution row, dirty items and fan-outs, history, tasks, timers. Items are
// written in one UPDATE … FROM jsonb_to_recordset; history in one INSERT; tasks with BatonQueue's enqueue
// statement (one INSERT, one NOTIFY per function); timers in one INSERT plus a NOTIFY so that sleeping timer
// loops re-read the earliest due time. History, tasks and the execution row travel in one libpq pipeline.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

/// The channel on which coordinators announce a new timer (payload: its due time as epoch seconds).
public enum CoordinatorChannel {
    /// Timer loops listen here to wake for a timer earlier than the one they sleep until.
    public static let timers = "baton_timers"
}

extension ExecutionStep {
    /// Writes the item rows changed so far (needed before reading items back in SQL, and at the end).
    func flushItems() async throws {
        let dirty = items.values.filter(\.dirty)
        guard !dirty.isEmpty else { return }
        var records: [JSON] = []
        records.reserveCapacity(dirty.count)
        for item in dirty.sorted(by: { $0.id < $1.id }) {
            var record: JSONObject = ["id": .number(.int(item.id)), "status": .string(item.status)]
            if let run = item.run { record["state"] = .string(try RunCoding.encode(run)) }
            if let output = item.output { record["output"] = .string(output) }
            if let error = item.error { record["error"] = .string(error) }
            if let cause = item.cause { record["cause"] = .string(cause) }
            records.append(.object(record))
            items[item.id]?.dirty = false
        }
        // An item refilled and finished in this same transaction is still `pending` in its row; the status
        // triggers allow pending -> running -> finished, so pass through `running` first.
        let started = dirty.filter { $0.run != nil && $0.status != "pending" }.map(\.id)
        if !started.isEmpty {
            try await connection.execute(
                """
                UPDATE baton.fan_out_items SET status = 'running', started_at = coalesce(started_at, now())
                WHERE id = ANY($1::bigint[]) AND status = 'pending'
                """, [Self.arrayLiteral(started)], statementName: "baton_engine_mark_items_running")
        }
        try await connection.execute(
            """
            UPDATE baton.fan_out_items i
            SET status = b.status, state = coalesce(b.state, i.state), output = b.output, error = b.error, cause = b.cause,
                started_at = CASE WHEN b.status = 'pending' THEN i.started_at ELSE coalesce(i.started_at, now()) END,
                finished_at = CASE WHEN b.status IN ('succeeded', 'failed', 'aborted') THEN coalesce(i.finished_at, now()) END
            FROM jsonb_to_recordset($1::jsonb) AS b(id bigint, status text, state text, output text, error text, cause text)
            WHERE i.id = b.id
            """, [JSON.array(records)], statementName: "baton_engine_flush_items")
    }

    private func flushFanOuts() async throws {
        for fanOut in fanOuts.values.filter(\.dirty).sorted(by: { $0.id < $1.id }) {
            try await connection.execute(
                """
                UPDATE baton.fan_outs SET items_running = $2, items_succeeded = $3, items_failed = $4, status = $5,
                    error = $6, cause = $7, finished_at = CASE WHEN $5 = 'running' THEN NULL ELSE coalesce(finished_at, now()) END
                WHERE id = $1
                """, [fanOut.id, fanOut.running, fanOut.succeeded, fanOut.failed, fanOut.status, fanOut.error, fanOut.cause],
                statementName: "baton_engine_flush_fan_out")
            fanOuts[fanOut.id]?.dirty = false
        }
    }

    /// Writes everything the step changed. Call once, after the last `drain()`.
    ///
    /// The history, the new tasks and the execution row go in ONE pipeline (one round trip). Only a step
    /// that also starts callbacks or timers, which need the new tasks' ids, writes the execution row after them.
    func flush(taskQueue: TaskQueue) async throws {
        try await flushItems()
        try await flushFanOuts()
        var pipeline: [PostgresStatement] = []
        if let statement = HistoryStore().appendStatement(history, executionId: executionId) { pipeline.append(statement) }
        history.removeAll()
        let enqueued = newTasks.isEmpty ? nil : pipeline.count
        if !newTasks.isEmpty { pipeline.append(taskQueue.enqueueStatement(newTasks)) }
        let executionUpdate = try executionUpdateStatement()
        let updateLast = !newCallbacks.isEmpty || !newTimers.isEmpty
        if !updateLast { pipeline.append(executionUpdate) }
        let results = try await connection.pipeline(pipeline)
        var taskIds: [String: Int64] = [:]  // "item/state/attempt" → id, for the task_timeout timers
        if let enqueued {
            let ids = try TaskQueue.enqueuedIDs(results[enqueued])
            for (task, id) in zip(newTasks, ids) {
                taskIds[Self.taskKey(task.fanOutItemID, task.stateName, task.attempt)] = id
            }
            try await flushCallbacks(taskIds: ids)
            newTasks.removeAll()
        }
        if !newTimers.isEmpty { try await flushTimers(taskIds: taskIds) }
        if updateLast { try await connection.pipeline([executionUpdate]) }
        if outcome != nil, parentWaits {
            try await ChildExecutions.wakeParent(of: executionId, on: connection)
        }
    }

    private func flushTimers(taskIds: [String: Int64]) async throws {
        let records = JSON.array(newTimers.map { timer in
            var record: JSONObject = [
                "state_name": .string(timer.stateName), "kind": .string(timer.kind),
                "due_epoch": .double(timer.due.timeIntervalSince1970),
                "payload": .string(JSON.object(timer.payload).serialized()),
            ]
            if let item = timer.item { record["fan_out_item_id"] = .number(.int(item)) }
            if let attempt = timer.taskAttempt, let id = taskIds[Self.taskKey(timer.item, timer.stateName, attempt)] {
                record["task_id"] = .number(.int(id))
            }
            return .object(record)
        })
        let earliest = newTimers.map(\.due).min()!
        try await connection.pipeline([
            PostgresStatement(
                """
                INSERT INTO baton.timers (execution_id, fan_out_item_id, task_id, state_name, kind, due_at, payload)
                SELECT $1, fan_out_item_id, task_id, state_name, kind, to_timestamp(due_epoch), payload
                FROM jsonb_to_recordset($2::jsonb) AS b(fan_out_item_id bigint, task_id bigint, state_name text, kind text,
                     due_epoch float8, payload text)
                """, [executionId, records], statementName: "baton_engine_insert_timers"),
            PostgresStatement(
                "SELECT pg_notify($1, $2)", [CoordinatorChannel.timers, String(earliest.timeIntervalSince1970)],
                statementName: "baton_engine_notify_timers"),
        ])
        newTimers.removeAll()
    }

    /// The UPDATE that writes the execution row: its run state, last event id and, once finished, its outcome.
    private func executionUpdateStatement() throws -> PostgresStatement {
        var status: String?
        var output: String?
        var error: String?
        var cause: String?
        switch outcome {
        case .succeeded(let value)?: (status, output) = ("SUCCEEDED", value.serialized())
        // The schema requires an error on FAILED; a Fail state without Error stores '' (read back as none).
        case .failed(let f)?: (status, error, cause) = ("FAILED", f.error ?? "", f.cause)
        case .timedOut(let f)?: (status, error, cause) = ("TIMED_OUT", f.error, f.cause)
        case .aborted(let f)?: (status, error, cause) = ("ABORTED", f.error, f.cause)
        case nil: break
        }
        return PostgresStatement(
            """
            UPDATE baton.executions
            SET state = coalesce($2, state), last_event_id = $3, status = coalesce($4, status), output = $5,
                error = $6, cause = $7, stopped_at = CASE WHEN $4 IS NULL THEN stopped_at ELSE now() END
            WHERE id = $1
            """, [executionId, try root.map { try RunCoding.encode($0) }, lastEventId, status, output, error, cause],
            statementName: "baton_engine_update_execution")
    }

    private static func taskKey(_ item: Int64?, _ state: String, _ attempt: Int) -> String {
        "\(item.map(String.init) ?? "-")/\(attempt)/\(state)"
    }

    /// The top-level run ended: whatever still runs under it is aborted in SQL (the local runner likewise
    /// just stops when the execution ends), and its tasks and timers are cancelled.
    func executionFinished(_ runOutcome: RunOutcome) async throws {
        outcome = runOutcome
        try await flushItems()
        newTasks.removeAll()
        newTimers.removeAll()
        for id in fanOuts.keys where fanOuts[id]?.status == "running" {
            fanOuts[id]?.status = "aborted"
            fanOuts[id]?.dirty = true
        }
        for statement in [
            "UPDATE baton.fan_out_items SET status = 'aborted', finished_at = now() WHERE execution_id = $1 AND status IN ('pending', 'running')",
            "UPDATE baton.fan_outs SET status = 'aborted', finished_at = now() WHERE execution_id = $1 AND status = 'running'",
            "UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE execution_id = $1 AND status IN ('available', 'running')",
            "UPDATE baton.timers SET status = 'cancelled' WHERE execution_id = $1 AND status = 'pending'",
        ] {
            try await connection.execute(statement, [executionId])
        }
        try await ChildExecutions.stopWaitedChildren(of: executionId, on: connection)
        for id in items.keys where items[id]?.status == "running" || items[id]?.status == "pending" {
            items[id]?.status = "aborted"
        }
    }
}
