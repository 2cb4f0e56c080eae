// Latency on an idle fleet: executions of the 3-Task chain started one at a time at a steady rate (default
// 100/s), after a short warm-up. Read from the task rows:
//   dispatch      = started_at (the claim) − greatest(created_at, run_after) (the task became ready);
//   result → next = created_at of a task − finished_at of the execution's previous task.
// created_at is the coordinator transaction's start (now()), so the coordinator's own transaction time counts
// in the dispatch figure, not in the result → next one; their sum is the whole hop from one task to the next.
import BatonJSON
import Foundation

extension Benchmark {
    func latency(_ machine: Int64, store: BenchStore, fleet: BenchFleet) async throws {
        let count = settings.pacedExecutions
        guard count > 0 else { return }
        progress("warming up, then starting \(count) executions at \(settings.pacedRate)/s")
        let warmUp = 20
        for index in 0..<warmUp { try await store.startExecution(of: name("paced"), input: ["i": .int(index)], name: "w\(index)") }
        try await store.waitForAll(machine, expected: warmUp, fleet: fleet)
        await store.checkpoint()
        let firstMeasured = try await store.integer("SELECT coalesce(max(id), 0) FROM baton.executions WHERE state_machine_id = $1", [machine])
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<count {
            try await clock.sleep(until: start + .seconds(Double(index) / settings.pacedRate))
            try await store.startExecution(of: name("paced"), input: ["i": .int(index)], name: "p\(index)")
        }
        let sentSeconds = (clock.now - start).seconds
        try await store.waitForAll(machine, expected: warmUp + count, fleet: fleet)
        let statuses = try await store.statuses(machine)
        if statuses["SUCCEEDED", default: 0] != warmUp + count { report.notes.append("latency: executions by status \(statuses)") }
        add("latency", "start rate achieved", Double(count) / sentSeconds, "/s")
        let rows = try await store.connection.query("""
            WITH t AS (
                SELECT t.created_at, t.run_after, t.started_at,
                       t.created_at - lag(t.finished_at) OVER (PARTITION BY t.execution_id ORDER BY t.id) AS after_previous,
                       t.created_at - e.started_at AS after_start, t.id = min(t.id) OVER (PARTITION BY t.execution_id) AS first
                FROM baton.tasks t JOIN baton.executions e ON e.id = t.execution_id
                WHERE e.state_machine_id = $1 AND e.id > $2 AND t.status = 'succeeded'
            )
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - greatest(created_at, run_after))::float8),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - greatest(created_at, run_after))::float8),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM after_previous)::float8),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM after_previous)::float8),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM after_start)::float8) FILTER (WHERE first),
                   count(*)
            FROM t
            """, [machine, firstMeasured])
        let executionRows = try await store.connection.query("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stopped_at - started_at)::float8),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stopped_at - started_at)::float8)
            FROM baton.executions WHERE state_machine_id = $1 AND id > $2
            """, [machine, firstMeasured])
        guard let row = rows.first, let executionRow = executionRows.first else { return }
        let ms = { (value: Double?) in (value ?? .nan) * 1000 }
        add("latency", "dispatch p50 (task ready → worker claims it)", ms(try row.decode(0)), "ms", target: .below(5))
        add("latency", "dispatch p99", ms(try row.decode(1)), "ms", target: .below(25))
        add("latency", "result → next task ready p50", ms(try row.decode(2)), "ms")
        add("latency", "result → next task ready p99", ms(try row.decode(3)), "ms")
        add("latency", "execution start → first task ready p50", ms(try row.decode(4)), "ms")
        add("latency", "execution duration p50 (3 tasks)", ms(try executionRow.decode(0)), "ms")
        add("latency", "execution duration p99", ms(try executionRow.decode(1)), "ms")
    }
}
