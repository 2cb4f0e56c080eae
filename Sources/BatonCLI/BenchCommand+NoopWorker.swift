import ArgumentParser
import BatonBench
import BatonPostgres
import BatonWorker
import Foundation
import Logging
import ServiceLifecycle

/// `baton bench noop-worker`: the worker process `baton bench` starts (hidden): serves a function that returns
/// its input, with the Swift `Worker` library, until SIGTERM.
struct BenchNoopWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noop-worker",
        abstract: "Serve a function that returns its input (started by `baton bench`).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The function to serve.")
    var function: String

    @Option(name: .long, help: "Tasks run at once.")
    var concurrency = 64

    @Option(name: .long, help: ArgumentHelp("PostgreSQL URL.", valueName: "url"))
    var database: String?

    func run() async throws {
        var logger = Logger(label: "baton.bench.worker") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        do {
            let database = try database.map { try PostgresConfiguration(url: $0) } ?? PostgresConfiguration.fromEnvironment()
            let worker = NoopWorker.make(function: function, configuration: WorkerConfiguration(
                database: database, concurrency: concurrency, logger: logger))
            try await ServiceGroup(configuration: .init(
                services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        } catch {
            printError("baton bench noop-worker: \(error)")
            throw ExitCode.failure
        }
    }
}
