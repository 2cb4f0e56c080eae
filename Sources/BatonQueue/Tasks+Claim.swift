// Claiming tasks, in River's shape: a CTE picks the first available rows of one function in claim order
// (priority, run_after, id) with FOR UPDATE SKIP LOCKED, and an UPDATE … FROM it leases them, in one statement.
//
// Why SKIP LOCKED: concurrent claimers each lock different rows instead of queueing behind each other's locks,
// so two workers never get the same task and neither waits. Why the CTE: LIMIT and FOR UPDATE cannot be put on
// an UPDATE directly; the CTE is planned as an index scan of `tasks_claim` (function_name, priority, run_after,
// id) WHERE status = 'available', which holds only the backlog, so a claim reads the first n entries.
import BatonPostgres
import Foundation

extension TaskQueue {
    /// Claims up to `limit` available tasks of `functionName` for worker `workerID`, in claim order. Each gets a
    /// fresh lease token, a lease until now + `leaseSeconds`, `started_at`, `deliveries + 1`, and `timeout_at` /
    /// `heartbeat_deadline_at` from its TimeoutSeconds (counted from scheduling, `created_at`) and
    /// HeartbeatSeconds (counted from now). One statement (its own transaction unless `connection` is in one).
    /// The claim writes nothing for the history: the coordinator records `TaskStarted` (stamped `started_at`)
    /// with the task's result, or earlier when the holder calls `announceStarted` (Tasks+Announce.swift).
    public func claim(
        functionName: String, workerID: String, limit: Int, leaseSeconds: Double, on connection: PostgresConnection
    ) async throws -> [ClaimedTask] {
        guard limit > 0 else { return [] }
        let rows = try await connection.query(
            Self.claimSQL, [functionName, limit, workerID, leaseSeconds], statementName: "baton_claim_tasks")
        var tasks: [ClaimedTask] = []
        tasks.reserveCapacity(rows.count)
        for row in rows {
            tasks.append(
                ClaimedTask(
                    id: try row.decode("id"), executionID: try row.decode("execution_id"),
                    fanOutItemID: try row.decode("fan_out_item_id"), stateName: try row.decode("state_name"),
                    functionName: try row.decode("function_name"), resource: try row.decode("resource"),
                    input: try row.decode("input"), attempt: try row.decode("attempt"),
                    delivery: try row.decode("deliveries"), maxDeliveries: try row.decode("max_deliveries"),
                    idempotencyKey: try row.decode("idempotency_key"), leaseToken: try row.decode("lease_token"),
                    leaseExpiresAt: try row.decode("lease_expires_at"), timeoutAt: try row.decode("timeout_at"),
                    heartbeatDeadlineAt: try row.decode("heartbeat_deadline_at"),
                    timeoutSeconds: try row.decode("timeout_seconds"), heartbeatSeconds: try row.decode("heartbeat_seconds"), priority: try row.decode("priority")))
        }
        // UPDATE … RETURNING does not keep the CTE's order; restore the claim order (run_after is equal or
        // older for lower ids in practice, and the batch runs concurrently anyway).
        tasks.sort { ($0.priority, $0.id) < ($1.priority, $1.id) }
        return tasks
    }

    static let claimSQL = """
        WITH next AS (
            SELECT id FROM baton.tasks
            WHERE status = 'available' AND function_name = $1 AND run_after <= now()
            ORDER BY priority, run_after, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED  -- rows another claimer holds are skipped, never waited for or shared
        ), claimed AS (
            UPDATE baton.tasks t
            SET status = 'running',
                lease_owner = $3,
                lease_token = gen_random_uuid(),  -- the fencing token: a new one for every delivery
                lease_expires_at = now() + $4 * interval '1 second',
                started_at = now(),
                deliveries = t.deliveries + 1,
                -- TimeoutSeconds counts from scheduling (as on AWS), HeartbeatSeconds from this delivery
                -- (NULL seconds give NULL: no deadline).
                timeout_at = t.created_at + t.timeout_seconds * interval '1 second',
                heartbeat_deadline_at = now() + t.heartbeat_seconds * interval '1 second'
            FROM next
            WHERE t.id = next.id
            RETURNING t.id, t.execution_id, t.fan_out_item_id, t.state_name, t.function_name, t.resource, t.input,
                      t.attempt, t.deliveries, t.max_deliveries, t.idempotency_key, t.lease_token, t.lease_expires_at,
                      t.timeout_at, t.heartbeat_deadline_at, t.timeout_seconds, t.heartbeat_seconds, t.priority
        )
        SELECT * FROM claimed
        """
}
