import BatonPostgres

/// The start-up check every Baton process (coordinator, worker, API server, CLI) runs before touching the
/// database: the schema version must be exactly the one this binary was built for. Only `baton migrate`
/// changes the schema.
public enum SchemaCheck {
    /// Returns the database's schema version when it is the one `migrations` ends with; otherwise throws a
    /// `SchemaError` whose message says what is wrong and that `baton migrate` fixes it (or, for a database
    /// newer than this binary, that a newer baton is needed).
    @discardableResult
    public static func verify(
        _ connection: PostgresConnection, migrations: [Migration] = Migrations.all
    ) async throws(SchemaError) -> Int {
        let expected = migrations.last?.version ?? 0
        let applied: [SchemaVersion.Applied]?
        do {
            applied = try await SchemaVersion.applied(connection)
        } catch {
            throw SchemaError(
                .database, "cannot read the Baton schema version: \(error)",
                databaseVersion: nil, expectedVersion: expected, underlying: error)
        }
        guard let applied, let current = applied.last?.version else {
            throw SchemaError(
                .notMigrated,
                "the database has no Baton schema (baton.schema_migrations does not exist): "
                    + "run `baton migrate` to create it (schema version \(expected))",
                databaseVersion: 0, expectedVersion: expected)
        }
        if current < expected {
            let pending = migrations.filter { $0.version > current }.map(\.fileStem).joined(separator: ", ")
            throw SchemaError(
                .behind,
                "the database schema is at version \(current) but this baton needs version \(expected): "
                    + "run `baton migrate` to apply \(pending)",
                databaseVersion: current, expectedVersion: expected)
        }
        if current > expected {
            throw SchemaError(
                .ahead,
                "the database schema is at version \(current), newer than this baton knows (up to \(expected)): "
                    + "use the baton release that ran `baton migrate` on it, or a newer one",
                databaseVersion: current, expectedVersion: expected)
        }
        return current
    }
}
