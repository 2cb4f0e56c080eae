// A fresh database per test suite, on the throwaway server `scripts/test.sh` starts. Suites run in parallel,
// so each gets a database named after it, dropped and re-created on every run. Without the server's URL in
// the environment the helper throws (the test fails) with a message saying how to run the tests: an
// integration test never passes silently without a database.
import BatonPostgres
import Foundation
import Logging

/// An error from a test-support helper, with a message that says what to do.
public struct TestSupportError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// Databases for integration tests.
public enum TestDatabase {
    /// The environment variable holding the superuser URL of the test server.
    public static let urlVariable = "BATON_TEST_DATABASE_URL"
    /// The environment variable holding a URL (with its correct password) for a role that must authenticate.
    public static let passwordURLVariable = "BATON_TEST_PASSWORD_URL"

    /// A logger for tests: warnings and worse only, unless `BATON_TEST_LOG_LEVEL` says otherwise.
    public static var logger: Logger {
        var logger = Logger(label: "baton.test")
        let level = ProcessInfo.processInfo.environment["BATON_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }

    /// The superuser configuration of the test server (its `postgres` database).
    public static func serverConfiguration() throws -> PostgresConfiguration {
        try configuration(from: urlVariable)
    }

    /// The configuration for the password-authenticated test role (correct password included).
    public static func passwordConfiguration() throws -> PostgresConfiguration {
        try configuration(from: passwordURLVariable)
    }

    /// Creates a fresh, empty database for `suite` (dropping any left from an earlier run) and returns its
    /// configuration. Fails when the test server is not configured: run the tests with `scripts/test.sh`.
    public static func create(suite: String) async throws -> PostgresConfiguration {
        let server = try serverConfiguration()
        let name = databaseName(for: suite)
        let admin = try await PostgresConnection.connect(server, logger: logger)
        do {
            try await admin.simpleQuery("DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)")
            try await admin.simpleQuery("CREATE DATABASE \(quoted(name)) TEMPLATE template0 ENCODING 'UTF8'")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return server.withDatabase(name)
    }

    /// The database name used for `suite`: `baton_test_` and the suite name in lower case, other characters
    /// replaced by `_`, at most 63 bytes.
    public static func databaseName(for suite: String) -> String {
        let cleaned = suite.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        return String(("baton_test_" + String(cleaned)).prefix(63))
    }

    /// `name` quoted as an SQL identifier.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func configuration(from variable: String) throws -> PostgresConfiguration {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw TestSupportError(
                "\(variable) is not set: integration tests need the throwaway PostgreSQL server that "
                    + "scripts/test.sh starts. Run the tests with `scripts/test.sh` "
                    + "(e.g. `scripts/test.sh --filter BatonPostgresTests`).")
        }
        return try PostgresConfiguration(url: url)
    }
}
