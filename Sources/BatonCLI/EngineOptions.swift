import ArgumentParser
import BatonEngine
import BatonPostgres
import BatonSchema
import Foundation

/// Options every engine command shares: the database and the ARN settings.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL, e.g. postgresql://user@host:5432/dbname.",
        discussion: "Defaults to DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, ….", valueName: "url"))
    var database: String?

    @Option(name: .long, help: "The region in ARNs.")
    var region = "us-east-1"

    @Option(name: .long, help: "The account id in ARNs.")
    var account = "123456789012"

    var engine: EngineConfiguration { EngineConfiguration(region: region, account: account) }

    func databaseConfiguration() throws -> PostgresConfiguration {
        if let database { return try PostgresConfiguration(url: database) }
        return try PostgresConfiguration.fromEnvironment()
    }

    /// Connects, checks the schema version, runs `body`, closes; any error becomes one line on stderr
    /// prefixed with `baton COMMAND:` and exit code 1.
    func withConnection(command: String, _ body: (PostgresConnection) async throws -> Void) async throws {
        do {
            let connection = try await PostgresConnection.connect(try databaseConfiguration())
            do {
                try await SchemaCheck.verify(connection)
                try await body(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("baton \(command): \(error)")
            throw ExitCode.failure
        }
    }
}

