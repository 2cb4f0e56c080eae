// The fleet the benchmark measures: coordinators and no-op workers as separate processes (this same `baton`
// binary: `baton coordinator` and `baton bench noop-worker`), so their memory can be read from /proc and they
// compete for the CPU the way a deployment's processes do. Their stderr goes to files in a temporary
// directory, shown when a process dies early. Stopping is graceful (SIGTERM), then SIGKILL after a deadline.
import BatonPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One child process of the fleet.
public final class FleetProcess: @unchecked Sendable {
    /// `coordinator` or `worker`.
    public let role: String
    let process = Process()
    let logFile: URL

    init(role: String, executable: URL, arguments: [String], logFile: URL) throws {
        self.role = role
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }
    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }
    /// Its memory now.
    public var memory: ProcessMemory? { ProcessMemory.read(pid: pid) }
    /// The end of what it wrote to stderr.
    public var logTail: String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(5).joined(separator: "\n")
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    func stop(grace: Duration) async {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Coordinators and workers started for one benchmark.
public final class BenchFleet: @unchecked Sendable {
    /// The coordinator processes.
    public private(set) var coordinators: [FleetProcess] = []
    /// The worker processes.
    public private(set) var workers: [FleetProcess] = []
    let settings: BenchSettings
    let directory: URL

    init(settings: BenchSettings) throws {
        self.settings = settings
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private var databaseArguments: [String] { settings.databaseURL.map { ["--database", $0] } ?? [] }

    /// Starts the no-op worker processes and waits until each has registered (connected, schema checked).
    func startWorkers(on connection: PostgresConnection) async throws {
        let command = settings.workerCommand
        for index in 0..<settings.workerProcesses {
            workers.append(try FleetProcess(
                role: "worker", executable: command.executable, arguments: command.arguments,
                logFile: directory.appendingPathComponent("worker-\(index).log")))
        }
        let pids = workers.map(\.pid)
        try await waitFor("\(pids.count) workers to register", timeout: .seconds(60)) {
            try self.checkAlive()
            let registered = try await connection.query(
                "SELECT count(*) FROM baton.workers WHERE pid = ANY($1::int[]) AND status = 'running'",
                ["{" + pids.map(String.init).joined(separator: ",") + "}"]).first?.decode(0, as: Int.self) ?? 0
            return registered == pids.count
        }
    }

    /// Starts the coordinator processes (they check the schema and begin applying work at once).
    func startCoordinators() throws {
        for index in 0..<settings.coordinatorProcesses {
            coordinators.append(try FleetProcess(
                role: "coordinator", executable: settings.executable,
                arguments: ["coordinator", "--concurrency", "\(settings.coordinatorConcurrency)", "--log-level", "warning"]
                    + databaseArguments,
                logFile: directory.appendingPathComponent("coordinator-\(index).log")))
        }
    }

    /// CPU seconds used so far by the fleet's processes.
    var cpuSeconds: Double { (coordinators + workers).compactMap { ProcessCPU.seconds(pid: $0.pid) }.reduce(0, +) }

    /// Throws when a fleet process has exited (with the end of its log).
    func checkAlive() throws {
        if let dead = (coordinators + workers).first(where: { !$0.isRunning }) {
            throw BenchError("a \(dead.role) process (pid \(dead.pid)) exited early: \(dead.logTail)")
        }
    }

    /// Stops every process gracefully.
    func stop() async {
        for process in coordinators + workers { await process.stop(grace: .seconds(10)) }
        coordinators = []
        workers = []
    }
}

/// Polls `condition` until it holds; throws after `timeout`.
func waitFor(_ what: String, timeout: Duration, poll: Duration = .milliseconds(50),
             _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now >= deadline { throw BenchError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: poll)
    }
}

/// A benchmark that could not run, with a message saying why.
public struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
