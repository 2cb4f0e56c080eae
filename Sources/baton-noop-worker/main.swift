// baton-noop-worker: the smallest useful worker executable, as a function author would write one with the
// `Worker` library — it serves one function that returns its input. `baton bench` runs it (when it sits
// beside the `baton` binary) to measure a worker process's own footprint without the rest of the CLI.
//
//   baton-noop-worker --function NAME [--concurrency N] [--database URL]   (else DATABASE_URL / PG* variables)
import BatonPostgres
import BatonWorker
import Foundation
import Logging
import ServiceLifecycle

var function = "baton-bench-noop"
var concurrency = 64
var databaseURL: String?
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("baton-noop-worker: \(flag) needs a value\n".utf8))
        exit(2)
    }
    switch flag {
    case "--function": function = value
    case "--concurrency": concurrency = Int(value) ?? concurrency
    case "--database": databaseURL = value
    default:
        FileHandle.standardError.write(Data("baton-noop-worker: unknown option \(flag)\n".utf8))
        exit(2)
    }
}

var logger = Logger(label: "baton.noop-worker") { StreamLogHandler.standardError(label: $0) }
logger.logLevel = .warning
do {
    let database = try databaseURL.map { try PostgresConfiguration(url: $0) } ?? PostgresConfiguration.fromEnvironment()
    let worker = Worker(function: function, configuration: WorkerConfiguration(
        database: database, concurrency: concurrency, logger: logger), outputIsValidated: true) { input, _ in input }
    try await ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
} catch {
    FileHandle.standardError.write(Data("baton-noop-worker: \(error)\n".utf8))
    exit(1)
}
