// Map runs read from the engine's rows: a DISTRIBUTED Map's fan_outs row (found by map_run_arn) and its
// fan_out_items, each item counted by its latest child execution's status (an item whose child has not
// started is pending, or aborted when the map run ended first).
import BatonEngine
import BatonPostgres
import Foundation

extension EngineBackend {
    public func describeMapRun(arn: String) async throws -> MapRunRecord? {
        try await run("DescribeMapRun") { connection in
            let rows = try await connection.query(
                """
                SELECT f.map_run_arn, e.arn, m.arn, f.status, f.created_at, f.finished_at, f.max_concurrency,
                       coalesce(f.tolerated_failure_count, 0), coalesce(f.tolerated_failure_percentage, 0)::float8,
                       c.pending, c.running, c.succeeded, c.failed, c.timed_out, c.aborted, f.redrive_count, f.redriven_at
                FROM baton.fan_outs f
                JOIN baton.executions e ON e.id = f.execution_id
                JOIN baton.state_machines m ON m.id = e.state_machine_id
                CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE child.status IS NULL AND i.status <> 'aborted')::int AS pending,
                           count(*) FILTER (WHERE child.status IN ('RUNNING', 'PENDING_REDRIVE'))::int AS running,
                           count(*) FILTER (WHERE child.status = 'SUCCEEDED')::int AS succeeded,
                           count(*) FILTER (WHERE child.status = 'FAILED')::int AS failed,
                           count(*) FILTER (WHERE child.status = 'TIMED_OUT')::int AS timed_out,
                           count(*) FILTER (WHERE child.status = 'ABORTED'
                                            OR (child.status IS NULL AND i.status = 'aborted'))::int AS aborted
                    FROM baton.fan_out_items i
                    LEFT JOIN LATERAL (
                        SELECT x.status FROM baton.executions x
                        WHERE x.parent_fan_out_item_id = i.id ORDER BY x.id DESC LIMIT 1) child ON true
                    WHERE i.fan_out_id = f.id
                ) c
                WHERE f.map_run_arn = $1
                """, [arn], statementName: "baton_server_describe_map_run")
            guard let row = rows.first else { return nil }
            return MapRunRecord(
                arn: try row.decode(0), executionArn: try row.decode(1), stateMachineArn: try row.decode(2),
                status: try row.decode(3, as: String.self).uppercased(), startDate: try row.decode(4),
                stopDate: try row.decode(5), maxConcurrency: try row.decode(6), toleratedFailureCount: try row.decode(7),
                toleratedFailurePercentage: try row.decode(8),
                itemCounts: MapRunCounts(
                    pending: try row.decode(9), running: try row.decode(10), succeeded: try row.decode(11),
                    failed: try row.decode(12), timedOut: try row.decode(13), aborted: try row.decode(14)),
                redriveCount: try row.decode(15), redriveDate: try row.decode(16))
        }
    }

    public func updateMapRun(arn: String, maxConcurrency: Int?, toleratedFailureCount: Int?, toleratedFailurePercentage: Double?)
        async throws -> Bool
    {
        try await run("UpdateMapRun") { connection in
            try await MapRunStore().update(
                arn, maxConcurrency: maxConcurrency, toleratedFailureCount: toleratedFailureCount,
                toleratedFailurePercentage: toleratedFailurePercentage, on: connection)
        }
    }

    public func listMapRuns(executionArn: String, after cursor: ExecutionCursor?, limit: Int) async throws -> [MapRunRecord]? {
        let micros = cursor.map { Int64(($0.startDate.timeIntervalSince1970 * 1_000_000).rounded()) }
        return try await run("ListMapRuns") { connection in
            let execution = try await connection.query(
                "SELECT e.id, m.arn FROM baton.executions e JOIN baton.state_machines m ON m.id = e.state_machine_id WHERE e.arn = $1",
                [executionArn], statementName: "baton_server_map_run_execution")
            guard let found = execution.first else { return nil }
            let executionId = try found.decode(0, as: Int64.self)
            let machineArn = try found.decode(1, as: String.self)
            // In the order they started; the cursor is the (start time, ARN) of the previous page's last row.
            let rows = try await connection.query(
                """
                SELECT f.map_run_arn, f.status, f.created_at, f.finished_at, f.max_concurrency,
                       coalesce(f.tolerated_failure_count, 0), coalesce(f.tolerated_failure_percentage, 0)::float8
                FROM baton.fan_outs f
                WHERE f.execution_id = $1 AND f.map_run_arn IS NOT NULL
                  AND ($2::bigint IS NULL
                       OR (f.created_at, f.map_run_arn) > (to_timestamp(0) + $2::bigint * interval '1 microsecond', $3::text))
                ORDER BY f.created_at, f.map_run_arn
                LIMIT $4
                """, [executionId, micros, cursor?.arn, limit], statementName: "baton_server_list_map_runs")
            return try rows.map { row in
                MapRunRecord(
                    arn: try row.decode(0), executionArn: executionArn, stateMachineArn: machineArn,
                    status: try row.decode(1, as: String.self).uppercased(), startDate: try row.decode(2),
                    stopDate: try row.decode(3), maxConcurrency: try row.decode(4), toleratedFailureCount: try row.decode(5),
                    toleratedFailurePercentage: try row.decode(6), itemCounts: MapRunCounts())
            }
        }
    }

    public func listMapRunExecutions(mapRunArn: String, status: String?, after cursor: ExecutionCursor?, limit: Int)
        async throws -> [ExecutionRecord]?
    {
        let micros = cursor.map { Int64(($0.startDate.timeIntervalSince1970 * 1_000_000).rounded()) }
        return try await run("ListExecutions") { connection in
            let fanOut = try await connection.query(
                "SELECT id FROM baton.fan_outs WHERE map_run_arn = $1", [mapRunArn],
                statementName: "baton_server_map_run_fan_out")
            guard let fanOutId = try fanOut.first?.decode(0, as: Int64.self) else { return nil }
            // Newest first, as ListExecutions by state machine; the children are found through their items.
            let rows = try await connection.query(
                """
                SELECT \(Self.executionListColumns)
                FROM baton.fan_out_items i
                JOIN baton.executions e ON e.parent_fan_out_item_id = i.id
                JOIN baton.state_machines m ON m.id = e.state_machine_id
                WHERE i.fan_out_id = $1 AND ($2::text IS NULL OR e.status = $2)
                  AND ($3::bigint IS NULL
                       OR (e.started_at, e.arn) < (to_timestamp(0) + $3::bigint * interval '1 microsecond', $4::text))
                ORDER BY e.started_at DESC, e.arn DESC
                LIMIT $5
                """, [fanOutId, status, micros, cursor?.arn, limit], statementName: "baton_server_list_map_run_executions")
            return try rows.map(Self.executionRecord)
        }
    }
}
