// Reporting a task's result. One statement does it all, so it is atomic without BEGIN/COMMIT and costs one round
// trip: a fenced UPDATE (id, lease token, status = 'running') records the result; an INSERT … SELECT from its
// RETURNING adds the `task_finished` inbox row; the final SELECT over that insert sends the NOTIFY. When the
// fence matches no row (the lease was taken over: timeout, cancellation, redelivery), nothing is inserted or
// sent, and the caller learns the result was rejected. The NOTIFY is delivered only after commit.
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
        switch outcome {
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
            "rejected a task result: the lease was taken over",
            metadata: [
                "task.id": .stringConvertible(taskID),
                "execution.id": .string((try? current.first?.decode("execution_id", as: Int64.self)).map { "\($0)" } ?? "unknown"),
                "task.status": .string(status ?? "missing"),
                "task.lease_owner": .string((try? current.first?.decode("lease_owner", as: String?.self)) ?? "none"),
                "task.lease_token": .string(leaseToken.uuidString),
            ])
        return .rejected(currentStatus: status)
    }

    static let completeSQL = """
        WITH done AS (
            -- The fence: only the holder of the current lease of a running task may record its result.
            UPDATE baton.tasks
            SET status = $3, output = $4, error = $5, cause = $6, finished_at = now(), lease_expires_at = NULL
            WHERE id = $1 AND lease_token = $2 AND status = 'running'
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
