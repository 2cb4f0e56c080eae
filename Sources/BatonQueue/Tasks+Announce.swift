// Telling the coordinator that a task has started, for the history's TaskStarted event. A claim writes nothing
// for it: a task that finishes quickly has its TaskStarted written by the coordinator together with its
// result (stamped with the claim's `started_at`), which spares every short task an inbox row, its deletion
// and a coordinator wake-up. A task that is still running a moment after its claim (Baton's worker waits
// `WorkerConfiguration.startedAnnouncementDelay`; GetActivityTask announces at once) is announced here, so
// a long task's TaskStarted shows in the history while it runs. Fenced like a result: only the current
// holder of a running task can announce it. Announcing twice is harmless (the core records TaskStarted once).
import BatonPostgres
import Foundation

extension TaskQueue {
    /// Writes a `task_started` inbox row (and notifies `QueueChannel.inbox`) for each task still running under
    /// its lease token, in one statement. Returns how many were announced (a task whose lease was taken over,
    /// or that already finished, is skipped).
    @discardableResult
    public func announceStarted(_ tasks: [(taskID: Int64, leaseToken: UUID)], on connection: PostgresConnection) async throws -> Int {
        guard !tasks.isEmpty else { return 0 }
        let rows = try await connection.query(
            Self.announceSQL,
            ["{" + tasks.map { String($0.taskID) }.joined(separator: ",") + "}",
             "{" + tasks.map { $0.leaseToken.uuidString }.joined(separator: ",") + "}"],
            statementName: "baton_announce_started")
        return try rows.first?.decode(0, as: Int.self) ?? 0
    }

    static let announceSQL = """
        WITH held AS (
            SELECT t.id, t.execution_id, t.fan_out_item_id
            FROM baton.tasks t JOIN unnest($1::bigint[], $2::uuid[]) AS h(id, lease_token) ON h.id = t.id
            WHERE t.id = ANY($1::bigint[]) AND t.lease_token = h.lease_token AND \(TaskQueue.stillRunning("t"))
        ), queued AS (
            INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, task_id)
            SELECT execution_id, fan_out_item_id, 'task_started', id FROM held ORDER BY id
            RETURNING id
        )
        SELECT count(*)::int AS announced,
               (SELECT count(pg_notify('\(QueueChannel.inbox)', 'task_started')) FROM (SELECT 1 FROM queued LIMIT 1) AS first)
        FROM queued
        """
}
