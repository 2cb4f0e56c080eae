import ArgumentParser
import BatonPostgres
import BatonSchema
import Foundation

/// `baton migrate`: creates or upgrades Baton's schema in a PostgreSQL database. Safe to run from several
/// nodes at once (each migration runs in one transaction under an advisory lock); running it again is a
/// no-op.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade Baton's schema in a PostgreSQL database.",
        discussion: """
            Applies the migrations compiled into this baton that the database does not have yet, each in its \
            own transaction under an advisory lock, so several nodes may run it at once. Other baton commands \
            refuse to run until the schema is at the version they were built for.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL, e.g. postgresql://user@host:5432/dbname.",
            discussion: "Defaults to DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, ….",
            valueName: "url"))
    var database: String?

    @Flag(name: .long, help: "Show the schema version and the pending migrations; change nothing.")
    var status = false

    func run() async throws {
        do {
            try await migrate()
        } catch {
            // One line, no password (BatonPostgres and BatonSchema errors never carry it).
            FileHandle.standardError.write(Data("baton migrate: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func migrate() async throws {
        let configuration =
            if let database { try PostgresConfiguration(url: database) } else {
                try PostgresConfiguration.fromEnvironment()
            }
        let connection = try await PostgresConnection.connect(configuration)
        let migrator = Migrator()
        do {
            if status {
                try await printStatus(migrator, connection)
            } else {
                let report = try await migrator.migrate(connection)
                if report.applied.isEmpty {
                    print("schema is up to date (version \(report.version))")
                } else {
                    for migration in report.applied { print("applied \(migration)") }
                    print("schema is at version \(report.version)")
                }
            }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private func printStatus(_ migrator: Migrator, _ connection: PostgresConnection) async throws {
        let current = try await migrator.currentVersion(connection)
        let pending = migrator.migrations.filter { $0.version > current }
        let latest = Migrations.latestVersion
        print("schema version \(current) (this baton needs \(latest))")
        if current > latest {
            print("the database is newer than this baton")
        } else if pending.isEmpty {
            print("no pending migrations")
        } else {
            for migration in pending { print("pending \(migration)") }
        }
    }
}
