import BatonPostgres
import BatonTestSupport
import Foundation

/// A fresh, empty database per test (TestDatabase from BatonTestSupport, named `baton_test_schema_NAME`), and
/// a connection that is closed whatever happens.
enum SchemaTestDatabase {
    static func create(_ name: String) async throws -> PostgresConfiguration {
        try await TestDatabase.create(suite: "schema_\(name)")
    }

    /// Connects to `configuration`, runs `body`, and closes the connection whatever happens.
    static func withConnection<T>(
        _ configuration: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}
