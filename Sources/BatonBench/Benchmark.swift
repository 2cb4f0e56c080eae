// `baton bench`: migrates the database, starts a fleet of no-op worker processes and coordinator processes,
// and measures, in order:
//   1. memory of an idle worker (registered, nothing to do);
//   2. throughput: a backlog of N executions of a 3-Task chain is started while no coordinator runs, then the
//      coordinators start and drain it (as the peer scripts drain a queue); the coordinators' peak memory
//      with up to N executions in flight is sampled meanwhile;
//   3. latency: executions started one by one at a steady rate on the now idle fleet, timed from the rows;
//   4. fan-out: one Map over M items through the no-op worker per MaxConcurrency value;
//   5. the workers' and coordinators' peak memory over the whole run.
// Then it stops the fleet and deletes what it created (unless told to keep it).
import BatonPostgres
import BatonSchema
import Foundation
import Logging

/// Runs the benchmark described by its settings.
public final class Benchmark: @unchecked Sendable {
    let settings: BenchSettings
    let logger: Logger
    var report: BenchReport
    let runID: String

    /// A benchmark with these settings; `progress` receives one line per phase.
    public init(settings: BenchSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        let now = Date()
        runID = String(Int(now.timeIntervalSince1970))
        report = BenchReport(
            date: ISO8601DateFormatter().string(from: now), host: ProcessInfo.processInfo.hostName,
            processors: ProcessInfo.processInfo.activeProcessorCount, server: [:],
            fleet: "\(settings.coordinatorProcesses) coordinator process(es) × \(settings.coordinatorConcurrency) loops, "
                + "\(settings.workerProcesses) no-op Swift worker process(es) (\(settings.workerCommand.executable.lastPathComponent)) "
                + "× \(settings.workerConcurrency) slots")
    }

    /// Runs every scenario and returns the report.
    public func run() async throws -> BenchReport {
        let connection = try await PostgresConnection.connect(settings.database.withApplicationName("baton-bench"), logger: logger)
        let fleet = try BenchFleet(settings: settings)
        var machines: [Int64] = []
        do {
            try await Migrator(logger: logger).migrate(connection)
            let store = BenchStore(connection: connection, settings: settings)
            report.server = try await store.serverSettings()
            let chain = try await store.createMachine(name("chain"), Self.chainDefinition(settings.functionName))
            machines.append(chain)
            let paced = try await store.createMachine(name("paced"), Self.chainDefinition(settings.functionName))
            machines.append(paced)

            progress("starting \(settings.workerProcesses) worker process(es)")
            try await fleet.startWorkers(on: connection)
            let idle = fleet.workers.compactMap(\.memory).map(\.residentBytes).max() ?? 0
            add("memory", "idle worker resident size", megabytes(idle), "MB", target: .below(30))

            try await throughput(chain, store: store, fleet: fleet)
            try await latency(paced, store: store, fleet: fleet)
            machines += try await fanOut(store: store, fleet: fleet)

            let workerPeak = fleet.workers.compactMap(\.memory).map(\.peakResidentBytes).max() ?? 0
            add("memory", "worker peak resident size (whole run)", megabytes(workerPeak), "MB")
            let coordinatorPeak = fleet.coordinators.compactMap(\.memory).map(\.peakResidentBytes).max() ?? 0
            add("memory", "coordinator peak resident size (whole run)", megabytes(coordinatorPeak), "MB")
            progress("stopping the fleet")
            await fleet.stop()
            if !settings.keep {
                progress("deleting the benchmark's state machines and executions")
                try await store.delete(machines: machines)
            }
        } catch {
            await fleet.stop()
            await connection.close()
            throw error
        }
        await connection.close()
        return report
    }

    // MARK: helpers shared by the scenarios

    func name(_ suffix: String) -> String { "\(settings.namePrefix)-\(runID)-\(suffix)" }

    func progress(_ line: String) {
        logger.notice("\(line)", metadata: ["load": .string(LoadAverage.read().description)])
    }

    func add(_ scenario: String, _ metric: String, _ value: Double, _ unit: String, target: BenchTarget? = nil) {
        guard value.isFinite else {
            report.notes.append("\(scenario): no value for \(metric)")
            return
        }
        report.figures.append(BenchFigure(scenario, metric, value, unit, target: target, load: LoadAverage.read()))
    }

    func megabytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

    /// A, B and C: three Task states on the no-op function, each passing its input on.
    static func chainDefinition(_ function: String) -> String {
        let resource = "baton:function:\(function)"
        return """
            {"Comment":"baton bench: a 3-Task chain","StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"\(resource)","Next":"B"},
              "B":{"Type":"Task","Resource":"\(resource)","Next":"C"},
              "C":{"Type":"Task","Resource":"\(resource)","End":true}}}
            """
    }

    /// A Map over `$.items` whose items each run one Task on the no-op function.
    static func mapDefinition(_ function: String, maxConcurrency: Int) -> String {
        """
        {"Comment":"baton bench: fan-out","StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items",
          "MaxConcurrency":\(maxConcurrency),"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Noop",
          "States":{"Noop":{"Type":"Task","Resource":"baton:function:\(function)","End":true}}},"End":true}}}
        """
    }
}
