// Applying migrations safely from several processes at once.
//
// Each pending migration runs in its own transaction that first takes a transaction-scoped advisory lock
// (pg_advisory_xact_lock), then re-reads baton.schema_migrations, and only then applies the next migration
// and records it. A second `baton migrate` started at the same moment waits on the lock, and when it gets
// it, it sees the first one's committed row and moves on (or finds nothing to do). The lock is released by
// COMMIT or ROLLBACK, so a migrator killed half-way leaves neither a lock nor a half-applied migration.
// Before applying anything, the already-applied migrations are compared by checksum with the copies in
// this binary, so a migration edited after release is reported instead of silently diverging.
import BatonPostgres
import Logging

/// What a `Migrator.migrate` run did.
public struct MigrationReport: Sendable {
    /// The migrations this run applied, in order (empty when the schema was up to date).
    public let applied: [Migration]
    /// The schema version after the run.
    public let version: Int
}

/// Applies the pending migrations to a database, each in one transaction under an advisory lock.
public struct Migrator: Sendable {
    /// The advisory lock key every Baton migrator takes (the bytes of "baton" and "mig").
    public static let advisoryLockKey: Int64 = 0x6261_746F_6E6D_6967

    /// The migrations to apply, in version order.
    public let migrations: [Migration]
    /// Where progress is logged (debug level).
    public let logger: Logger

    /// Creates a migrator for `migrations` (by default the ones compiled into this binary).
    public init(migrations: [Migration] = Migrations.all, logger: Logger = Logger(label: "baton.schema")) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The database's schema version: 0 when it has no Baton schema.
    public func currentVersion(_ connection: PostgresConnection) async throws(SchemaError) -> Int {
        do {
            return try await SchemaVersion.applied(connection)?.last?.version ?? 0
        } catch {
            throw databaseError(error, version: nil)
        }
    }

    /// The migrations not yet applied to the database, without changing anything.
    public func pending(_ connection: PostgresConnection) async throws(SchemaError) -> [Migration] {
        let current = try await currentVersion(connection)
        return migrations.filter { $0.version > current }
    }

    /// Applies every pending migration, each in its own transaction under the advisory lock, and returns
    /// what was applied. Safe to run from several processes at once; running it again is a no-op.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) async throws(SchemaError) -> MigrationReport {
        var applied: [Migration] = []
        while true {
            let step: Step
            do {
                step = try await connection.transaction { connection in try await self.step(connection) }
            } catch let error as SchemaError {
                throw error
            } catch let error as PostgresError {
                throw databaseError(error, version: nil)
            } catch {
                throw SchemaError(
                    .database, "migration failed: \(error)", databaseVersion: nil, expectedVersion: latest)
            }
            switch step {
            case .applied(let migration):
                logger.debug("applied migration", metadata: ["schema.migration": "\(migration)"])
                applied.append(migration)
            case .upToDate(let version):
                return MigrationReport(applied: applied, version: version)
            }
        }
    }

    // MARK: - One step

    private enum Step: Sendable {
        case applied(Migration)
        case upToDate(Int)
    }

    private var latest: Int { migrations.last?.version ?? 0 }

    /// Inside a transaction: lock, check what is applied, apply the next migration if there is one.
    private func step(_ connection: PostgresConnection) async throws -> Step {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))")
        let applied = try await SchemaVersion.applied(connection) ?? []
        let current = applied.last?.version ?? 0
        if current > latest {
            throw SchemaError(
                .ahead,
                "the database schema is at version \(current), newer than this baton knows (up to \(latest)): "
                    + "nothing to migrate; use the baton release that ran `baton migrate` on it, or a newer one",
                databaseVersion: current, expectedVersion: latest)
        }
        try await verifyChecksums(applied, connection)
        guard let next = migrations.first(where: { $0.version > current }) else { return .upToDate(current) }
        do {
            try await connection.simpleQuery(next.sql)
        } catch {
            throw SchemaError(
                .migrationFailed,
                "migration \(next) failed and was rolled back (the schema stays at version \(current)): \(error)",
                databaseVersion: current, expectedVersion: latest, underlying: error)
        }
        try await connection.execute(
            "INSERT INTO baton.schema_migrations (version, name, checksum) VALUES ($2, $3, "
                + SchemaVersion.checksumExpression + ")",
            [next.sql, next.version, next.name])
        return .applied(next)
    }

    /// Every applied migration must be one this binary knows, with the same text.
    private func verifyChecksums(_ applied: [SchemaVersion.Applied], _ connection: PostgresConnection)
        async throws
    {
        for record in applied {
            guard let known = migrations.first(where: { $0.version == record.version }) else {
                throw SchemaError(
                    .modifiedMigration,
                    "the database records migration \(record.version) (\(record.name)), which this baton does not have",
                    databaseVersion: applied.last?.version, expectedVersion: latest)
            }
            let rows = try await connection.query("SELECT " + SchemaVersion.checksumExpression, [known.sql])
            let checksum = try rows.first?.decode(0, as: String.self)
            if checksum != record.checksum || known.name != record.name {
                throw SchemaError(
                    .modifiedMigration,
                    "migration \(known) differs from the one applied to this database on its version number "
                        + "(\(record.version)_\(record.name)); applied migrations must never change: "
                        + "add a new numbered migration instead",
                    databaseVersion: applied.last?.version, expectedVersion: latest)
            }
        }
    }

    private func databaseError(_ error: PostgresError, version: Int?) -> SchemaError {
        SchemaError(
            .database, "cannot migrate the database: \(error)", databaseVersion: version, expectedVersion: latest,
            underlying: error)
    }
}
