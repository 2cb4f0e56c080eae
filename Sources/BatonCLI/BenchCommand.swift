import ArgumentParser
import BatonBench
import BatonPostgres
import Foundation
import Logging

/// `baton bench`: measures the distributed engine on this machine against a given database.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput, latency, fan-out and memory of the distributed engine on this machine.",
        subcommands: [BenchRunCommand.self, BenchCoreCommand.self, BenchNoopWorkerCommand.self],
        defaultSubcommand: BenchRunCommand.self
    )
}

/// `baton bench [run]`: the benchmark itself.
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the benchmark (the default subcommand of `baton bench`).",
        discussion: """
            Migrates the database, starts no-op Swift worker processes and coordinator processes (this baton \
            binary), then measures: throughput (a backlog of --executions 3-Task chains drained by the \
            coordinators), latency (--paced-executions started at --paced-rate per second on the idle fleet), \
            fan-out (a Map over --map-items items per --map-concurrency value) and the processes' memory. \
            Timings are read from the tables. The state machines and executions it creates are deleted at the \
            end unless --keep. Use a database nothing else uses: the figures assume an otherwise idle system.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL, e.g. postgresql://user@host:5432/dbname.",
        discussion: "Defaults to DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, ….", valueName: "url"))
    var database: String?

    @Option(name: .long, help: "Coordinator processes.")
    var coordinators = 1

    @Option(name: .long, help: "Apply loops per coordinator process.")
    var coordinatorConcurrency = 3

    @Option(name: .long, help: "No-op worker processes.")
    var workers = 1

    @Option(name: .long, help: "Tasks run at once per worker process.")
    var workerConcurrency = 64

    @Option(name: .long, help: "Executions of the 3-Task chain in the throughput scenario (0 skips it).")
    var executions = 10_000

    @Option(name: .long, help: "Connections starting the throughput backlog in parallel.")
    var starters = 4

    @Option(name: .long, help: "Executions started at a steady rate in the latency scenario (0 skips it).")
    var pacedExecutions = 1_000

    @Option(name: .long, help: "Executions per second in the latency scenario.")
    var pacedRate = 100.0

    @Option(name: .long, help: "Items of the fan-out Map (0 skips it).")
    var mapItems = 10_000

    @Option(name: .long, parsing: .upToNextOption, help: "MaxConcurrency values of the fan-out Map.")
    var mapConcurrency: [Int] = [0, 1_000]

    @Option(name: .long, help: ArgumentHelp(
        "pgqueuer's drain rate measured beside this run (jobs/s): the target for task-state transitions/s.",
        valueName: "jobs/s"))
    var peerJobsPerSecond: Double?

    @Flag(name: .long, help: "Keep the benchmark's state machines and executions.")
    var keep = false

    @Flag(name: .long, help: "Print the report as JSON instead of a table.")
    var json = false

    @Option(name: .long, help: "Log level of the progress lines on stderr (notice shows them, warning hides them).")
    var logLevel = "notice"

    func validate() throws {
        guard coordinators > 0, coordinatorConcurrency > 0 else { throw ValidationError("--coordinators and --coordinator-concurrency must be at least 1") }
        guard workers > 0, workerConcurrency > 0 else { throw ValidationError("--workers and --worker-concurrency must be at least 1") }
        guard executions >= 0, pacedExecutions >= 0, mapItems >= 0 else { throw ValidationError("sizes must not be negative") }
        guard starters > 0 else { throw ValidationError("--starters must be at least 1") }
        guard pacedRate > 0 else { throw ValidationError("--paced-rate must be positive") }
        guard mapConcurrency.allSatisfy({ $0 >= 0 }) else { throw ValidationError("--map-concurrency values must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var logger = Logger(label: "baton.bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        do {
            let configuration = try database.map { try PostgresConfiguration(url: $0) } ?? PostgresConfiguration.fromEnvironment()
            var settings = BenchSettings(
                database: configuration, databaseURL: database,
                executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
            settings.coordinatorProcesses = coordinators
            settings.coordinatorConcurrency = coordinatorConcurrency
            settings.workerProcesses = workers
            settings.workerConcurrency = workerConcurrency
            settings.executions = executions
            settings.starters = starters
            settings.pacedExecutions = pacedExecutions
            settings.pacedRate = pacedRate
            settings.mapItems = mapItems
            settings.mapConcurrencies = mapConcurrency
            settings.peerJobsPerSecond = peerJobsPerSecond
            settings.keep = keep
            let report = try await Benchmark(settings: settings, logger: logger).run()
            print(json ? try report.json() : report.table())
        } catch {
            printError("baton bench: \(error)")
            throw ExitCode.failure
        }
    }
}
