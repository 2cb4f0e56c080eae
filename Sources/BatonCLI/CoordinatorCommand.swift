import ArgumentParser
import BatonEngine
import Foundation
import Logging
import ServiceLifecycle

/// `baton coordinator`: advances executions (inbox work, timers, task rescue) until SIGTERM or SIGINT.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Advance executions stored in PostgreSQL until SIGTERM or SIGINT.",
        discussion: """
            Any number of coordinators may run, on any nodes: each applies work in transactions that lock the \
            executions they touch with SKIP LOCKED. A stopped or killed coordinator leaves nothing half-done. \
            The schema version is checked at start (run `baton migrate` first).
            """
    )

    @OptionGroup var options: EngineOptions

    @Option(name: .long, help: "Safety-net poll interval in seconds when no notification arrives.")
    var pollSeconds = 2.0

    @Option(name: .long, help: "Parallel apply loops (each with its own connection).")
    var concurrency = 1

    @Option(name: .long, help: "The largest state output in bytes before States.DataLimitExceeded.")
    var payloadLimit = 256 * 1024

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be positive") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        guard payloadLimit > 0 else { throw ValidationError("--payload-limit must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var logger = Logger(label: "baton.coordinator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        do {
            var engine = options.engine
            engine.payloadSizeLimit = payloadLimit
            let coordinator = Coordinator(configuration: CoordinatorConfiguration(
                database: try options.databaseConfiguration(), engine: engine,
                pollInterval: .milliseconds(Int64(pollSeconds * 1000)), concurrency: concurrency, logger: logger))
            let group = ServiceGroup(configuration: .init(
                services: [coordinator], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            printError("baton coordinator: \(error)")
            throw ExitCode.failure
        }
    }
}
