// UpdateMapRun's write side: a running DISTRIBUTED Map's MaxConcurrency and tolerated failures change in
// place, under the lock order every coordinator transaction follows (the execution row first, then its
// fan-out), with a `map_run_updated` inbox row and a NOTIFY in the same transaction, so a coordinator applies
// the change at once (ExecutionStep+FanOut `mapRunUpdated`: refill up to the new limit, or fail the map run
// when its failures now exceed the threshold). A map run that has ended keeps its limits as they were.
import BatonPostgres
import BatonQueue
import Foundation

/// Changes map runs.
public struct MapRunStore: Sendable {
    /// A map run store.
    public init() {}

    /// Sets the map run's MaxConcurrency (0: no limit), ToleratedFailureCount and ToleratedFailurePercentage,
    /// each only when given. Returns false when there is no map run `arn`.
    public func update(
        _ arn: String, maxConcurrency: Int?, toleratedFailureCount: Int?, toleratedFailurePercentage: Double?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        do {
            return try await connection.transaction { connection in
                let locked = try await connection.query(
                    """
                    SELECT f.id, e.id FROM baton.fan_outs f JOIN baton.executions e ON e.id = f.execution_id
                    WHERE f.map_run_arn = $1 FOR NO KEY UPDATE OF e
                    """, [arn], statementName: "baton_engine_map_run_lock")
                guard let row = locked.first else { return false }
                let (fanOutId, executionId) = (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self))
                try await connection.execute(
                    """
                    WITH updated AS (
                        UPDATE baton.fan_outs
                        SET max_concurrency = coalesce($2, max_concurrency),
                            tolerated_failure_count = coalesce($3, tolerated_failure_count),
                            tolerated_failure_percentage = coalesce($4, tolerated_failure_percentage)
                        WHERE id = $1 AND status = 'running'
                        RETURNING id
                    ), queued AS (
                        INSERT INTO baton.inbox (execution_id, kind, details)
                        SELECT $5, 'map_run_updated', jsonb_build_object('fanOutId', id) FROM updated
                        RETURNING id
                    )
                    SELECT pg_notify('\(QueueChannel.inbox)', 'map_run_updated') FROM queued
                    """, [fanOutId, maxConcurrency, toleratedFailureCount, toleratedFailurePercentage, executionId],
                    statementName: "baton_engine_update_map_run")
                return true
            }
        } catch {
            throw EngineError.database("update-map-run \(arn)", error)
        }
    }
}
