import BatonPostgres
import BatonSchema
import Foundation
import Testing

/// The migrator and the start-up check against a real server, each test in its own database.
@Suite struct MigratorTests {
    static let expectedTables: Set<String> = [
        "schema_migrations", "state_machines", "state_machine_versions", "executions", "history_events",
        "fan_outs", "fan_out_items", "workers", "tasks", "timers", "inbox", "task_callbacks", "activities",
        "resource_tags", "redrive_client_tokens", "state_machine_published_versions", "state_machine_aliases",
    ]

    @Test func freshDatabaseGetsEveryMigrationAndTheDescribedTables() async throws {
        let database = try await SchemaTestDatabase.create("fresh")
        try await SchemaTestDatabase.withConnection(database) { connection in
            let report = try await Migrator().migrate(connection)
            #expect(report.applied == Migrations.all)
            #expect(report.version == Migrations.latestVersion)

            let versions = try await connection.query("SELECT version FROM baton.schema_migrations ORDER BY version")
                .map { try $0.decode(0, as: Int.self) }
            #expect(versions == Migrations.all.map(\.version))

            let tables = try await connection.query(
                "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'baton' AND c.relkind = 'r'")
            let names = Set(try tables.map { try $0.decode(0, as: String.self) })
            #expect(names == Self.expectedTables)
            for row in tables {
                let table = try row.decode(0, as: String.self)
                let comment = try row.decode(1, as: String?.self)
                #expect(comment?.isEmpty == false, "table baton.\(table) has no COMMENT")
            }

            let uncommented = try await connection.query(
                """
                SELECT c.relname || '.' || a.attname FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'baton' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                  AND coalesce(col_description(c.oid, a.attnum), '') = ''
                ORDER BY 1
                """
            ).map { try $0.decode(0, as: String.self) }
            #expect(uncommented == [], "columns without COMMENT ON")

            #expect(try await SchemaCheck.verify(connection) == Migrations.latestVersion)
        }
    }

    @Test func rerunningIsANoOp() async throws {
        let database = try await SchemaTestDatabase.create("rerun")
        try await SchemaTestDatabase.withConnection(database) { connection in
            let first = try await Migrator().migrate(connection)
            let second = try await Migrator().migrate(connection)
            #expect(first.applied.count == Migrations.all.count)
            #expect(second.applied.isEmpty)
            #expect(second.version == first.version)
            let rows = try await connection.query("SELECT count(*)::int FROM baton.schema_migrations")
            #expect(try rows.first?.decode(0, as: Int.self) == Migrations.all.count)
        }
    }

    @Test func schemaCheckRefusesAnUnmigratedDatabase() async throws {
        let database = try await SchemaTestDatabase.create("unmigrated")
        try await SchemaTestDatabase.withConnection(database) { connection in
            let error = await #expect(throws: SchemaError.self) { try await SchemaCheck.verify(connection) }
            #expect(error?.kind == .notMigrated)
            #expect(error?.databaseVersion == 0)
            #expect(error?.description.contains("baton migrate") == true, "\(String(describing: error))")
        }
    }

    @Test func schemaCheckRefusesAnOlderAndANewerSchema() async throws {
        let database = try await SchemaTestDatabase.create("versions")
        let future = Migration(
            version: Migrations.latestVersion + 1, name: "future",
            sql: "CREATE TABLE baton.future_table (id int); COMMENT ON TABLE baton.future_table IS 'test';")
        try await SchemaTestDatabase.withConnection(database) { connection in
            try await Migrator().migrate(connection)

            // A binary that knows one more migration than the database has: behind.
            let behind = await #expect(throws: SchemaError.self) {
                try await SchemaCheck.verify(connection, migrations: Migrations.all + [future])
            }
            #expect(behind?.kind == .behind)
            #expect(behind?.description.contains("baton migrate") == true)
            #expect(behind?.description.contains(future.fileStem) == true)

            // That newer binary migrates; now this binary is the older one.
            let report = try await Migrator(migrations: Migrations.all + [future]).migrate(connection)
            #expect(report.applied == [future])
            let ahead = await #expect(throws: SchemaError.self) { try await SchemaCheck.verify(connection) }
            #expect(ahead?.kind == .ahead)
            #expect(ahead?.description.contains("newer than this baton") == true)
            let migrateAhead = await #expect(throws: SchemaError.self) { try await Migrator().migrate(connection) }
            #expect(migrateAhead?.kind == .ahead)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let database = try await SchemaTestDatabase.create("failing")
        let broken = Migration(
            version: Migrations.latestVersion + 1, name: "broken",
            sql: "CREATE TABLE baton.half_done (id int);\nSELECT * FROM baton.no_such_table;")
        try await SchemaTestDatabase.withConnection(database) { connection in
            try await Migrator().migrate(connection)
            let error = await #expect(throws: SchemaError.self) {
                try await Migrator(migrations: Migrations.all + [broken]).migrate(connection)
            }
            #expect(error?.kind == .migrationFailed)
            #expect(error?.underlying?.sqlState == "42P01")
            #expect(error?.description.contains(broken.fileStem) == true)
            let leftover = try await connection.query("SELECT to_regclass('baton.half_done') IS NULL")
            #expect(try leftover.first?.decode(0, as: Bool.self) == true)
            #expect(try await SchemaCheck.verify(connection) == Migrations.latestVersion)
        }
    }

    @Test func anEditedAppliedMigrationIsReported() async throws {
        let database = try await SchemaTestDatabase.create("edited")
        try await SchemaTestDatabase.withConnection(database) { connection in
            try await Migrator().migrate(connection)
            try await connection.execute("UPDATE baton.schema_migrations SET checksum = 'edited' WHERE version = 1")
            let error = await #expect(throws: SchemaError.self) { try await Migrator().migrate(connection) }
            #expect(error?.kind == .modifiedMigration)
            #expect(error?.description.contains("0001_initial") == true)
        }
    }
}
