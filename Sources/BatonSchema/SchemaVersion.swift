import BatonPostgres

/// Reading what the database has applied.
enum SchemaVersion {
    /// An applied migration as recorded in `baton.schema_migrations`.
    struct Applied: Sendable {
        var version: Int
        var name: String
        var checksum: String
    }

    /// The applied migrations in version order, or nil when `baton.schema_migrations` does not exist.
    static func applied(_ connection: PostgresConnection) async throws(PostgresError) -> [Applied]? {
        let exists = try await connection.query("SELECT to_regclass('baton.schema_migrations') IS NOT NULL")
        guard let row = exists.first, try row.decode(0, as: Bool.self) else { return nil }
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM baton.schema_migrations ORDER BY version")
        var result: [Applied] = []
        for row in rows {
            result.append(
                Applied(
                    version: try row.decode(0, as: Int.self),
                    name: try row.decode(1, as: String.self),
                    checksum: try row.decode(2, as: String.self)))
        }
        return result
    }

    /// The SQL expression both the migrator and the check use for a migration's checksum (hex SHA-256).
    static let checksumExpression = "encode(sha256(convert_to($1::text, 'UTF8')), 'hex')"
}
