// Throughput: N executions of the 3-Task chain are started while no coordinator runs (a backlog, like the
// peer scripts' drain), then the coordinators start. The rate is N over the time from the first
// ExecutionStarted event to the last execution's stop, read from the tables. A task-state transition is one
// Task state run to completion (scheduled, claimed, its result recorded, the next state entered): three per
// execution — the unit compared with a job queue's jobs/s.
import Foundation

extension Benchmark {
    func throughput(_ machine: Int64, store: BenchStore, fleet: BenchFleet) async throws {
        let count = settings.executions
        if count > 0 {
            progress("starting \(count) executions (backlog; no coordinator yet)")
            let startSeconds = try await store.startExecutions(of: name("chain"), count: count, prefix: "t")
            add("throughput", "executions started (\(settings.starters) connections)", Double(count) / startSeconds, "/s")
            await store.checkpoint()
        }
        progress("starting \(settings.coordinatorProcesses) coordinator process(es)")
        let postmaster = try await store.postmasterPID()
        let (fleetCPU, clusterCPU) = (fleet.cpuSeconds, postmaster.flatMap(ProcessCPU.clusterSeconds))
        try fleet.startCoordinators()
        guard count > 0 else { return }
        var peakCoordinator = 0
        var peakSeenAt = Date()
        try await store.waitForAll(machine, expected: count, fleet: fleet) {
            let resident = fleet.coordinators.compactMap(\.memory).map(\.residentBytes).max() ?? 0
            if resident > peakCoordinator { (peakCoordinator, peakSeenAt) = (resident, Date()) }
        }
        let fleetUsed = fleet.cpuSeconds - fleetCPU
        let clusterUsed = postmaster.flatMap(ProcessCPU.clusterSeconds).flatMap { now in clusterCPU.map { now - $0 } }
        let statuses = try await store.statuses(machine)
        if statuses["SUCCEEDED", default: 0] != count { report.notes.append("throughput: executions by status \(statuses)") }
        let seconds = try await store.number("""
            SELECT extract(epoch FROM
                (SELECT max(stopped_at) FROM baton.executions WHERE state_machine_id = $1)
              - (SELECT min(h.occurred_at) FROM baton.history_events h JOIN baton.executions e ON e.id = h.execution_id
                 WHERE e.state_machine_id = $1 AND h.event_id = 1))::float8
            """, [machine])
        let tasks = try await store.integer("""
            SELECT count(*) FROM baton.tasks t JOIN baton.executions e ON e.id = t.execution_id
            WHERE e.state_machine_id = $1 AND t.status = 'succeeded'
            """, [machine])
        let events = try await store.integer("""
            SELECT count(*) FROM baton.history_events h JOIN baton.executions e ON e.id = h.execution_id
            WHERE e.state_machine_id = $1
            """, [machine])
        add("throughput", "drain of \(count) executions: wall time", seconds, "s")
        add("throughput", "executions/s", Double(statuses["SUCCEEDED", default: 0]) / seconds, "/s")
        add("throughput", "task-state transitions/s", Double(tasks) / seconds, "/s",
            target: settings.peerJobsPerSecond.map { .atLeast($0) })
        let perTask = { (seconds: Double) in 1000 * seconds / Double(max(tasks, 1)) }
        add("throughput", "CPU per task-state transition: coordinators + workers", perTask(fleetUsed), "ms")
        if let clusterUsed {
            add("throughput", "CPU per task-state transition: PostgreSQL", perTask(clusterUsed), "ms")
            add("throughput", "CPU per task-state transition: total", perTask(fleetUsed + clusterUsed), "ms")
        } else {
            report.notes.append("throughput: PostgreSQL's CPU is not readable from here (not on this machine?)")
        }
        add("throughput", "history events/s", Double(events) / seconds, "/s")
        // VmHWM covers the moments between samples; the tables say how many executions were in flight at the sample.
        let peak = max(peakCoordinator, fleet.coordinators.compactMap(\.memory).map(\.peakResidentBytes).max() ?? 0)
        add("memory", "coordinator peak resident size, \(count) executions in flight at start",
            megabytes(peak), "MB", target: .below(150))
        let inFlightAtPeak = try await store.running(machine, at: peakSeenAt)
        report.notes.append("throughput: the coordinators' largest sampled resident size, "
            + "\(BenchReport.format(megabytes(peakCoordinator))) MB, was seen with \(inFlightAtPeak) executions still running")
    }
}
