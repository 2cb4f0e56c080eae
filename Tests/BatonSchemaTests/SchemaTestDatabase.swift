import BatonPostgres
import Foundation
import Testing

/// A fresh, empty database per test on the server scripts/test.sh started, found through
/// BATON_TEST_DATABASE_URL. Without it the test fails, saying how to run the tests.
enum SchemaTestDatabase {
    static func create(_ name: String) async throws -> PostgresConfiguration {
        guard let url = ProcessInfo.processInfo.environment["BATON_TEST_DATABASE_URL"], !url.isEmpty else {
            Issue.record("BATON_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh")
            throw MissingServer()
        }
        let server = try PostgresConfiguration(url: url)
        let database = "baton_schema_test_\(name)"
        let admin = try await PostgresConnection.connect(server)
        do {
            try await admin.simpleQuery("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try await admin.simpleQuery("CREATE DATABASE \(database)")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return server.withDatabase(database)
    }

    /// Connects to `configuration`, runs `body`, and closes the connection whatever happens.
    static func withConnection<T>(
        _ configuration: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    struct MissingServer: Error, CustomStringConvertible {
        var description: String { "BATON_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh" }
    }
}
