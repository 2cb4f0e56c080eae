// Reporting a task's result. One statement does it all, so it is atomic without BEGIN/COMMIT and costs one round
// trip: a fenced UPDATE (id, lease token, status = 'running') records the result; an INSERT … SELECT from its
// RETURNING adds the `task_finished` inbox row; the final SELECT over that insert sends the NOTIFY. When the
// fence matches no row (the lease was taken over: timeout, cancellation, redelivery), nothing is inserted or
// sent, and the caller learns the result was rejected. The NOTIFY is delivered only after commit. Text that
// PostgreSQL cannot store (a NUL character in a crash's stderr) is replaced first, so it cannot fail the write.
import BatonJSON
import BatonPostgres
import Foundation
import Logging

extension TaskQueue {
    /// Records `outcome` for the task held under `leaseToken`, writes a `task_finished` inbox row and notifies
    /// `QueueChannel.inbox`, atomically. A result whose lease was taken over matches no row: it is rejected
    /// (logged at warning with the task and execution ids), never applied, and `.rejected` is returned.
    @discardableResult
    public func complete(
        taskID: Int64, leaseToken: UUID, outcome: TaskOutcome, on connection: PostgresConnection
    ) async throws -> CompletionResult {
        let parameters: [(any PostgresEncodable)?]
        switch outcome.storable {
        case .succeeded(let output):
            parameters = [taskID, leaseToken, "succeeded", output, nil, nil]
        case .failed(let error, let cause):
            parameters = [taskID, leaseToken, "failed", nil, error, cause]
        }
        let rows = try await connection.query(Self.completeSQL, parameters, statementName: "baton_complete_task")
        if let row = rows.first {
            return .recorded(inboxID: try row.decode(0, as: Int64.self))
        }
        // Rare path: say what happened to the task instead.
        let current = try await connection.query(
            "SELECT execution_id, status, lease_owner FROM baton.tasks WHERE id = $1", [taskID])
        let status = try current.first?.decode("status", as: String.self)
        logger.warning(
            "rejected a task result: the task is no longer held under this lease (taken over, timed out, cancelled or already finished)",
            metadata: [
                "task.id": .stringConvertible(taskID),
                "execution.id": .string((try? current.first?.decode("execution_id", as: Int64.self)).map { "\($0)" } ?? "unknown"),
                "task.status": .string(status ?? "missing"),
                "task.lease_owner": .string((try? current.first?.decode("lease_owner", as: String?.self)) ?? "none"),
                "task.lease_token": .string(leaseToken.uuidString),
            ])
        return .rejected(currentStatus: status)
    }

    /// Records many results in one statement (one commit): the same as calling `complete` for each, but with one
    /// round trip and one fsync. Returns one `CompletionResult` per element of `results`, in order. Rows are
    /// locked in id order first, so concurrent batches and coordinators touching the same tasks cannot deadlock.
    public func complete(
        _ results: [(taskID: Int64, leaseToken: UUID, outcome: TaskOutcome)], on connection: PostgresConnection
    ) async throws -> [CompletionResult] {
        guard !results.isEmpty else { return [] }
        if results.count == 1 {
            return [try await complete(taskID: results[0].taskID, leaseToken: results[0].leaseToken, outcome: results[0].outcome, on: connection)]
        }
        // One binary array per column (PostgresArray).
        var ids = PostgresArray(of: .int8), tokens = PostgresArray(of: .uuid), statuses = PostgresArray(of: .text)
        var outputs = PostgresArray(of: .text), errors = PostgresArray(of: .text), causes = PostgresArray(of: .text)
        for result in results {
            ids.append(result.taskID)
            tokens.append(result.leaseToken)
            switch result.outcome.storable {
            case .succeeded(let output):
                statuses.append("succeeded")
                outputs.append(output)
                errors.appendNull()
                causes.appendNull()
            case .failed(let error, let cause):
                statuses.append("failed")
                outputs.appendNull()
                errors.append(error)
                causes.append(cause)
            }
        }
        let rows = try await connection.query(
            Self.completeBatchSQL, [ids, tokens, statuses, outputs, errors, causes], statementName: "baton_complete_tasks")
        var inboxByTask: [Int64: Int64] = [:]
        for row in rows { inboxByTask[try row.decode("task_id")] = try row.decode("id") }
        let rejected = results.map(\.taskID).filter { inboxByTask[$0] == nil }
        var statusByTask: [Int64: String] = [:]
        if !rejected.isEmpty {
            let list = JSON.array(rejected.map { .number(.int($0)) })
            let current = try await connection.query(
                """
                SELECT id, execution_id, status, lease_owner FROM baton.tasks
                WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)
                """, [list])
            for row in current {
                let id = try row.decode("id", as: Int64.self)
                statusByTask[id] = try row.decode("status", as: String.self)
                let executionID = try row.decode("execution_id", as: Int64.self)
                let owner = try row.decode("lease_owner", as: String?.self)
                logger.warning(
                    "rejected a task result: the task is no longer held under this lease (taken over, timed out, cancelled or already finished)",
                    metadata: [
                        "task.id": .stringConvertible(id),
                        "execution.id": .stringConvertible(executionID),
                        "task.status": .string(statusByTask[id] ?? "missing"),
                        "task.lease_owner": .string(owner ?? "none"),
                    ])
            }
        }
        return results.map { result in
            if let inbox = inboxByTask[result.taskID] { return .recorded(inboxID: inbox) }
            return .rejected(currentStatus: statusByTask[result.taskID])
        }
    }

    static let completeBatchSQL = """
        WITH locked AS (
            -- Each result locks its task by primary key, fenced (lease token, still running), in id order (the
            -- derived table is sorted first), so concurrent batches and coordinators cannot deadlock. The
            -- result's columns travel with the lock, so the UPDATE below joins each task to one row: as a join
            -- of the arrays to the tasks, the planner re-ran the set-returning function for every task and
            -- compared every pair (n² per batch), or hashed a sequential scan of every task.
            SELECT r.id, r.status, r.output, r.error, r.cause
            FROM (SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])
                      AS x(id, lease_token, status, output, error, cause)
                  ORDER BY id) r
            CROSS JOIN LATERAL (
                SELECT 1 FROM baton.tasks
                WHERE id = r.id AND lease_token = r.lease_token AND \(TaskQueue.stillRunning()) FOR UPDATE) t
        ), done AS (
            UPDATE baton.tasks t
            SET status = l.status, output = l.output, error = l.error, cause = l.cause, finished_at = now(),
                lease_expires_at = NULL
            FROM locked l
            -- (= ANY($1): the ids, so the planner probes the primary key rather than scanning the tasks. No
            -- second fence: the rows are locked, and the lock rechecked the fence on their latest version. With
            -- one, the planner expected a single row and compared every task with every result.)
            WHERE t.id = ANY($1::bigint[]) AND t.id = l.id
            RETURNING t.id, t.execution_id, t.fan_out_item_id
        ), queued AS (
            INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, task_id)
            SELECT execution_id, fan_out_item_id, 'task_finished', id FROM done ORDER BY id
            RETURNING id, task_id
        )
        -- One NOTIFY per row, folded into one by PostgreSQL (same channel and payload in one transaction).
        SELECT queued.task_id, queued.id, pg_notify('\(QueueChannel.inbox)', 'task_finished')::text AS notified FROM queued
        """

    static let completeSQL = """
        WITH done AS (
            -- The fence: only the holder of the current lease of a running task may record its result.
            UPDATE baton.tasks
            SET status = $3, output = $4, error = $5, cause = $6, finished_at = now(), lease_expires_at = NULL
            WHERE id = $1 AND lease_token = $2 AND \(TaskQueue.stillRunning())
            RETURNING id, execution_id, fan_out_item_id
        ), queued AS (
            -- Wake a coordinator for this execution in the same transaction (the inbox row is its unit of work).
            INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, task_id)
            SELECT execution_id, fan_out_item_id, 'task_finished', id FROM done
            RETURNING id
        )
        SELECT queued.id, pg_notify('\(QueueChannel.inbox)', 'task_finished')::text AS notified FROM queued
        """
}
