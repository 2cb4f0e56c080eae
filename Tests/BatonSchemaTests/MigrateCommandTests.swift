import BatonPostgres
import BatonSchema
import Foundation
import Testing

/// `baton migrate` as real processes: the built binary at <package root>/.build/debug/baton.
@Suite struct MigrateCommandTests {
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var batonBinary: URL {
        EmbeddedMigrationsTests.packageRoot.appendingPathComponent(".build/debug/baton")
    }

    /// Runs `baton ARGUMENTS` and waits for it without blocking a thread; output goes through temporary
    /// files so a chatty child can never fill a pipe and hang.
    static func baton(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let binary = batonBinary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("\(binary.path) is missing: build it with `swift build` (scripts/test.sh does) before swift test")
            throw CocoaError(.fileNoSuchFile)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(
            status: status,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func url(_ configuration: PostgresConfiguration) throws -> String {
        let server = try #require(ProcessInfo.processInfo.environment["BATON_TEST_DATABASE_URL"])
        let database = try #require(configuration.database)
        let slash = try #require(server.lastIndex(of: "/"))
        return String(server[..<slash]) + "/" + database
    }

    @Test func threeProcessesAtOnceAllSucceedAndLeaveOneSchemaVersion() async throws {
        let database = try await SchemaTestDatabase.create("three_processes")
        let url = try Self.url(database)
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for _ in 0..<3 { group.addTask { try await Self.baton(["migrate", "--database", url]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for outcome in outcomes {
            #expect(outcome.status == 0, "baton migrate failed: \(outcome.stderr)")
        }
        // Each migration was applied by exactly one of them (each migration is its own transaction, so with
        // several migrations the work may be split between processes); all of them end at the latest version.
        for migration in Migrations.all {
            let appliers = outcomes.filter { $0.stdout.contains("applied \(migration.fileStem)\n") }
            #expect(appliers.count == 1, "\(migration.fileStem): \(outcomes.map(\.stdout))")
        }
        let latest = Migrations.latestVersion
        #expect(outcomes.allSatisfy {
            $0.stdout.hasSuffix("schema is up to date (version \(latest))\n")
                || $0.stdout.hasSuffix("schema is at version \(latest)\n")
        }, "\(outcomes.map(\.stdout))")

        try await SchemaTestDatabase.withConnection(database) { connection in
            let rows = try await connection.query("SELECT version FROM baton.schema_migrations ORDER BY version")
            #expect(try rows.map { try $0.decode(0, as: Int.self) } == Migrations.all.map(\.version))
            #expect(try await SchemaCheck.verify(connection) == Migrations.latestVersion)
        }
    }

    @Test func statusAndRerunUseDATABASE_URL() async throws {
        let database = try await SchemaTestDatabase.create("status")
        let environment = ["DATABASE_URL": try Self.url(database)]
        let before = try await Self.baton(["migrate", "--status"], environment: environment)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("schema version 0"))
        #expect(before.stdout.contains("pending 0001_initial"))

        let first = try await Self.baton(["migrate"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("schema is at version \(Migrations.latestVersion)"))
        let again = try await Self.baton(["migrate"], environment: environment)
        #expect(again.stdout == "schema is up to date (version \(Migrations.latestVersion))\n")
    }

    @Test func aWrongPasswordIsOneClearLineWithoutThePassword() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["BATON_TEST_PASSWORD_URL"],
            "BATON_TEST_PASSWORD_URL is not set: run the tests with scripts/test.sh")
        let components = try #require(URLComponents(string: url))
        let wrong = "not-\(try #require(components.password))"
        let wrongURL = url.replacingOccurrences(of: ":\(try #require(components.password))@", with: ":\(wrong)@")
        let outcome = try await Self.baton(["migrate", "--database", wrongURL])
        #expect(outcome.status != 0)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("baton migrate: "))
        #expect(!outcome.stderr.contains(wrong), "the password leaked: \(outcome.stderr)")
    }
}
