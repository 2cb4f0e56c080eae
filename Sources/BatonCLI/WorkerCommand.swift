import ArgumentParser
import BatonPostgres
import BatonWorker
import Foundation
import Logging
import ServiceLifecycle

/// `baton worker`: serves one function by running a shell command per task, with the same stdin/stdout/exit-code
/// contract as `baton run --function`, until SIGTERM or SIGINT (running tasks then get a grace period to finish
/// and the rest go back to the queue).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve one function from the task queue by running a command per task.",
        discussion: """
            Each task's input is written to COMMAND's stdin (run with /bin/sh -c); its stdout is the result JSON. \
            A non-zero exit fails the task, named by a {"errorType", "errorMessage"} object on stdout if present, \
            else States.TaskFailed with stderr as the cause. The task's id, attempt and idempotency key are in \
            BATON_TASK_ID, BATON_ATTEMPT and BATON_IDEMPOTENCY_KEY. SIGTERM stops gracefully.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The function to serve (the name in the Task's Resource).", valueName: "name"))
    var function: String

    @Option(name: .long, help: ArgumentHelp("The command to run per task, with /bin/sh -c.", valueName: "command"))
    var exec: String

    @Option(name: .long, help: "How many tasks run at once.")
    var concurrency = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL, e.g. postgresql://user@host:5432/dbname.",
            discussion: "Defaults to DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, ….",
            valueName: "url"))
    var database: String?

    @Option(name: .long, help: "Safety-net poll interval in seconds when no notification arrives.")
    var pollSeconds = 5.0

    @Option(name: .long, help: "The largest result accepted, in bytes (larger fails with States.DataLimitExceeded).")
    var payloadLimit = 256 * 1024

    @Option(name: .long, help: "Lease length in seconds; the registry heartbeat renews it every third of it.")
    var leaseSeconds = 30.0

    @Option(name: .long, help: "Seconds running tasks get to finish on SIGTERM before they are released.")
    var shutdownGraceSeconds = 30.0

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be positive") }
        guard payloadLimit > 0 else { throw ValidationError("--payload-limit must be positive") }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
        guard shutdownGraceSeconds >= 0 else { throw ValidationError("--shutdown-grace-seconds must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard !function.isEmpty else { throw ValidationError("--function must not be empty") }
    }

    func run() async throws {
        var logger = Logger(label: "baton.worker") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        do {
            let database = try database.map { try PostgresConfiguration(url: $0) } ?? PostgresConfiguration.fromEnvironment()
            let configuration = WorkerConfiguration(
                database: database, concurrency: concurrency, pollInterval: .milliseconds(Int(pollSeconds * 1000)),
                leaseSeconds: leaseSeconds, heartbeatInterval: .milliseconds(Int(leaseSeconds * 1000 / 3)),
                payloadLimit: payloadLimit, shutdownGracePeriod: .milliseconds(Int(shutdownGraceSeconds * 1000)),
                logger: logger)
            let worker = Worker(
                function: function, configuration: configuration, exec: ExecFunction(command: exec, payloadLimit: payloadLimit))
            let group = ServiceGroup(
                configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("baton worker: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
