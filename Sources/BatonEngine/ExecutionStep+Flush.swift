// Writing a step's results. Items and fan-outs (Map and Parallel steps only) are written by the step itself,
// items in one UPDATE … FROM jsonb_to_recordset. History, new tasks and the execution row are NOT written per
// step: the applier gathers them from every execution of its batch and writes each kind with one set-based
// statement (InboxApplier+Writes.swift). What needs the new tasks' ids — callback rows, timers (one INSERT plus a
// NOTIFY so that sleeping timer loops re-read the earliest due time) — is written per step afterwards.
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
                WHERE id = ANY($1::bigint[]) AND \(KeyedStatus.is("pending"))
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

    /// Writes the step's Map item and fan-out rows (statements of its own: only Map and Parallel steps have
    /// any). Call once, after the last `drain()`, before the batch's set-based writes (`InboxApplier.write`)
    /// take the step's history, new tasks and execution row.
    func writeItemsAndFanOuts() async throws {
        try await flushItems()
        try await flushFanOuts()
    }

    /// What the step leaves to the batch's set-based statements besides its history events and new tasks:
    /// its execution row (nil when the row did not change: only stale inbox rows were applied).
    func executionRecord() throws -> ExecutionRecord? {
        guard rootDirty || lastEventId != initialLastEventId || outcome != nil else { return nil }
        var record = ExecutionRecord(id: executionId, lastEventId: lastEventId)
        if let root { record.state = try RunCoding.encode(root) }
        let failure: RunFailure?
        switch outcome {
        case .succeeded(let value)?:
            record.status = "SUCCEEDED"
            record.output = value.serialized()
            failure = nil
        // A Fail state without Error leaves `error` NULL (migration 0007; AWS reports none either).
        case .failed(let f)?:
            record.status = "FAILED"
            failure = f
        case .timedOut(let f)?:
            record.status = "TIMED_OUT"
            failure = f
        case .aborted(let f)?:
            record.status = "ABORTED"
            failure = f
        case nil:
            failure = nil
        }
        record.error = failure?.error
        record.cause = failure?.cause
        return record
    }

    /// Whether `writeAfterTasks` has anything to do.
    var hasWritesAfterTasks: Bool { !newCallbacks.isEmpty || !newTimers.isEmpty || (outcome != nil && parentWaits) }

    /// The writes that need the ids of the tasks the batch inserted for this step (`taskIds`, in the order
    /// of `newTasks`): callback rows and timers; then waking a waiting parent once the execution finished.
    func writeAfterTasks(taskIds: [Int64]) async throws {
        var keyed: [String: Int64] = [:]  // "item/state/attempt" → id, for the task_timeout timers
        for (task, id) in zip(newTasks, taskIds) {
            keyed[Self.taskKey(task.fanOutItemID, task.stateName, task.attempt)] = id
        }
        if !newCallbacks.isEmpty { try await flushCallbacks(taskIds: taskIds) }
        if !newTimers.isEmpty { try await flushTimers(taskIds: keyed) }
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

    private static func taskKey(_ item: Int64?, _ state: String, _ attempt: Int) -> String {
        "\(item.map(String.init) ?? "-")/\(attempt)/\(state)"
    }

    /// The top-level run ended: whatever still runs under it is aborted (the local runner likewise just stops
    /// when the execution ends), and its tasks and timers are cancelled — in memory here, in SQL by the batch.
    func executionFinished(_ runOutcome: RunOutcome) async throws {
        outcome = runOutcome
        try await flushItems()
        newTasks.removeAll()
        newTimers.removeAll()
        for id in fanOuts.keys where fanOuts[id]?.status == "running" {
            fanOuts[id]?.status = "aborted"
            fanOuts[id]?.dirty = true
        }
        // The rows still open under it in the database (items, fan-outs, tasks, timers not loaded here) and the
        // children it waits for are ended by the batch's write, for all executions that finished in it at once
        // (InboxApplier.endEverythingUnder).
        for id in items.keys where items[id]?.status == "running" || items[id]?.status == "pending" {
            items[id]?.status = "aborted"
        }
    }
}

/// An execution row as a coordinator batch writes it back (`InboxApplier.write`); nil columns keep (state,
/// status) or clear (output, error, cause) what the row holds.
struct ExecutionRecord {
    var id: Int64
    var lastEventId: Int
    /// The top-level run, encoded (`RunCoding`).
    var state: String?
    /// Set when the execution finished.
    var status: String?
    var output: String?
    var error: String?
    var cause: String?
}
