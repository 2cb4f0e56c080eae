import ArgumentParser
import BatonEngine
import BatonPostgres
import BatonSchema
import BatonServer
import Foundation
import Logging
import ServiceLifecycle

/// `baton server`: the AWS Step Functions API over HTTP (AWS JSON 1.0 with SigV4), webhook ingress and
/// health endpoints, in front of the coordinators and workers that share the database.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Serve the AWS Step Functions API (for the aws CLI and SDKs), webhooks and health checks.",
        discussion: """
            Point an SDK or `aws stepfunctions --endpoint-url http://HOST:PORT` at it. Requests must be signed \
            (AWS Signature Version 4) with a key from BATON_ACCESS_KEY_ID/BATON_SECRET_ACCESS_KEY or \
            --credentials-file (lines of `ACCESS_KEY_ID SECRET_ACCESS_KEY`); --auth none turns that off for \
            local development. Executions are run by `baton coordinator` and `baton worker` processes on the \
            same database. GET /health answers while the process runs; GET /ready when the database is reachable \
            and its schema matches. POST /webhooks/NAME starts the state machine configured for NAME in \
            --webhooks (X-Hub-Signature-256 verified; the X-GitHub-Delivery id names the execution).
            """
    )

    @OptionGroup var engine: EngineOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0 picks a free one and logs it).")
    var port = 8083

    @Option(name: .long, help: ArgumentHelp("How requests are authenticated: sigv4 or none.", valueName: "mode"))
    var auth = "sigv4"

    @Option(name: .long, help: ArgumentHelp("A file of access keys, one `ACCESS_KEY_ID SECRET_ACCESS_KEY` per line.", valueName: "file"))
    var credentialsFile: String?

    @Option(name: .long, help: ArgumentHelp("A JSON or YAML file mapping webhook names to state machines and secrets.", valueName: "file"))
    var webhooks: String?

    @Option(name: .long, help: "The largest request body accepted, in bytes.")
    var maxBodyBytes = 4 * 1024 * 1024

    @Option(name: .long, help: "Database connections in the pool.")
    var poolSize = 10

    @Option(name: .long, help: "How long StartSyncExecution waits for an execution, in seconds.")
    var syncTimeoutSeconds = 300

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard auth == "sigv4" || auth == "none" else { throw ValidationError("--auth must be sigv4 or none, not \(auth)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard poolSize >= 1 else { throw ValidationError("--pool-size must be at least 1") }
        guard syncTimeoutSeconds >= 1 else { throw ValidationError("--sync-timeout-seconds must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var logger = Logger(label: "baton.server") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        do {
            let environment = ProcessInfo.processInfo.environment
            let authMode: AuthMode
            if auth == "none" {
                authMode = .none
            } else {
                let credentials = try CredentialStore.load(environment: environment, file: credentialsFile)
                guard credentials.count > 0 else {
                    throw ServerConfigurationError(
                        "no access keys: set BATON_ACCESS_KEY_ID and BATON_SECRET_ACCESS_KEY, or give --credentials-file, or run with --auth none for local development")
                }
                authMode = .sigV4(SigV4Verifier(credentials: credentials))
            }
            let webhookConfiguration = try webhooks.map { try WebhookConfiguration.load(file: $0, environment: environment) }
                ?? WebhookConfiguration()
            let database = try engine.databaseConfiguration().withApplicationName("baton server")
            // Refuse to start on a schema this binary was not built for, as every Baton process does.
            let connection = try await PostgresConnection.connect(database, logger: logger)
            do {
                try await SchemaCheck.verify(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()

            let pool = PostgresPool(configuration: database, maximumConnections: poolSize, logger: logger)
            let backend = EngineBackend(pool: pool, configuration: engine.engine, logger: logger)
            let configuration = ServerConfiguration(
                host: host, port: port, arns: ArnConfiguration(region: engine.region, account: engine.account),
                maximumBodyBytes: maxBodyBytes, auth: authMode, webhooks: webhookConfiguration,
                syncExecutionTimeout: .seconds(syncTimeoutSeconds))
            let host = self.host
            let listeningLogger = logger
            let app = APIServer.application(
                configuration: configuration, backend: backend, logger: logger,
                onListening: { port in listeningLogger.notice("baton server listening on \(host):\(port)", metadata: ["server.port": "\(port)"]) })
            let group = ServiceGroup(
                configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
        } catch {
            FileHandle.standardError.write(Data("baton server: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
