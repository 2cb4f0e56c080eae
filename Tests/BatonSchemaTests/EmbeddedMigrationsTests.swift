import BatonSchema
import Foundation
import Testing

/// The migrations compiled into the binary must be exactly sql/migrations/*.sql (regenerate with
/// scripts/embed-migrations.sh), numbered without gaps, and free of transaction control.
@Suite struct EmbeddedMigrationsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func migrationFiles() throws -> [(stem: String, sql: String)] {
        let directory = packageRoot.appendingPathComponent("sql/migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return (String(name.dropLast(4)), try #require(String(data: data, encoding: .utf8)))
        }
    }

    @Test func embeddedCopyMatchesSQLFiles() throws {
        let files = try Self.migrationFiles()
        #expect(!files.isEmpty, "no sql/migrations/*.sql under \(Self.packageRoot.path)")
        let embedded = Migrations.all
        #expect(
            files.map(\.stem) == embedded.map(\.fileStem),
            "sql/migrations/ and EmbeddedMigrations.swift list different migrations: run scripts/embed-migrations.sh")
        for (file, migration) in zip(files, embedded) where file.stem == migration.fileStem {
            #expect(
                file.sql == migration.sql,
                "\(file.stem).sql differs from its embedded copy: run scripts/embed-migrations.sh")
        }
    }

    @Test func versionsCountFromOneWithoutGaps() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
        #expect(Migrations.latestVersion == Migrations.all.count)
    }

    @Test func migrationsHoldNoTransactionControl() throws {
        let pattern = try Regex(#"(?im)^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*;"#)
        let concurrently = try Regex(#"(?im)^\s*(CREATE|DROP|REINDEX)\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY"#)
        for migration in Migrations.all {
            #expect(
                migration.sql.firstMatch(of: pattern) == nil,
                "\(migration) contains transaction control; the migrator runs each migration in its own transaction")
            #expect(
                migration.sql.firstMatch(of: concurrently) == nil,
                "\(migration) uses CREATE INDEX CONCURRENTLY, which cannot run inside the migration's transaction")
        }
    }
}
