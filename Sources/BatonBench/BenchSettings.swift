// What `baton bench` runs: the fleet's shape and each scenario's size. The defaults are the issue's
// (10,000 executions of a 3-Task chain, 100 executions/s paced, a 10,000-item Map at MaxConcurrency 0 and
// 1,000); the end-to-end test shrinks them.
import BatonPostgres
import Foundation

/// The scenarios and fleet of one benchmark run.
public struct BenchSettings: Sendable {
    /// The database.
    public var database: PostgresConfiguration
    /// The URL handed to the fleet's processes (`--database`); nil lets them read `DATABASE_URL` as we did.
    public var databaseURL: String?
    /// The `baton` executable that runs the fleet's processes.
    public var executable: URL
    /// Coordinator processes.
    public var coordinatorProcesses = 1
    /// Apply loops per coordinator process (`baton coordinator --concurrency`).
    public var coordinatorConcurrency = 3
    /// No-op worker processes.
    public var workerProcesses = 1
    /// Tasks run at once per worker process.
    public var workerConcurrency = 64
    /// Executions of the 3-Task chain in the throughput scenario (0 skips it).
    public var executions = 10_000
    /// Connections starting executions in parallel (the backlog is filled before the coordinators start).
    public var starters = 4
    /// Executions started at a steady rate in the latency scenario (0 skips it).
    public var pacedExecutions = 1_000
    /// Their rate, executions per second.
    public var pacedRate = 100.0
    /// Items of the Map in the fan-out scenario (0 skips it).
    public var mapItems = 10_000
    /// The MaxConcurrency values the Map runs with.
    public var mapConcurrencies = [0, 1_000]
    /// pgqueuer's drain rate (jobs/s) measured beside this run, the target for task-state transitions/s.
    public var peerJobsPerSecond: Double?
    /// Keep the benchmark's state machines and executions afterwards (default: deleted).
    public var keep = false
    /// How long any one scenario may take before the benchmark gives up.
    public var scenarioTimeout: Duration = .seconds(600)
    /// The function the no-op workers serve.
    public var functionName = "baton-bench-noop"
    /// Prefix of the state machines the benchmark creates (a run id is appended).
    public var namePrefix = "baton-bench"

    /// The worker processes' command: `baton-noop-worker` when it sits beside `executable` (a worker
    /// executable as small as a function author's), else `baton bench noop-worker`.
    var workerCommand: (executable: URL, arguments: [String]) {
        let small = executable.deletingLastPathComponent().appendingPathComponent("baton-noop-worker")
        let common = ["--function", functionName, "--concurrency", "\(workerConcurrency)"] + (databaseURL.map { ["--database", $0] } ?? [])
        if FileManager.default.isExecutableFile(atPath: small.path) { return (small, common) }
        return (executable, ["bench", "noop-worker"] + common)
    }

    /// Settings with the defaults above.
    public init(database: PostgresConfiguration, databaseURL: String?, executable: URL) {
        self.database = database
        self.databaseURL = databaseURL
        self.executable = executable
    }
}
