import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// Prepared statements, multi-statement scripts and pipelines.
@Suite struct StatementTests {
    @Test func preparedStatementsArePreparedOnceAndReused() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_prepared"), logger: TestDatabase.logger)
        for value in 1...5 {
            let back = try await connection.query("SELECT $1::int8 + 1", [value], statementName: "increment").first?.decode(0, as: Int.self)
            #expect(back == value + 1)
        }
        let prepared = try await connection.query("SELECT name, statement FROM pg_prepared_statements")
        #expect(prepared.count == 1)
        #expect(try prepared.first?.decode("name", as: String.self) == "increment")
        // The same name with new SQL replaces the statement.
        let replaced = try await connection.query("SELECT $1::int8 * 10", [3], statementName: "increment").first?.decode(0, as: Int.self)
        #expect(replaced == 30)
        // A statement lost from the session (DEALLOCATE ALL) is prepared again.
        try await connection.simpleQuery("DEALLOCATE ALL")
        let again = try await connection.query("SELECT $1::int8 * 10", [4], statementName: "increment").first?.decode(0, as: Int.self)
        #expect(again == 40)
        await connection.close()
    }

    @Test func aPreparedStatementIsPlannedAgainAfterFiftyRuns() async throws {
        // A generic plan made while the tables were nearly empty must not stay for the session's life.
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_replan"), logger: TestDatabase.logger)
        func runs() async throws -> Int? {
            try await connection.query(
                "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE name = 'increment'"
            ).first?.decode(0, as: Int.self)
        }
        for value in 1...50 {
            _ = try await connection.query("SELECT $1::int8 + 1", [value], statementName: "increment")
        }
        #expect(try await runs() == 50)
        // The 51st run prepares it again (through a pipeline as well as alone), so the server counts anew.
        _ = try await connection.pipeline([PostgresStatement("SELECT $1::int8 + 1", [51], statementName: "increment")])
        for value in 52...60 {
            _ = try await connection.query("SELECT $1::int8 + 1", [value], statementName: "increment")
        }
        #expect(try await runs() == 10)
        await connection.close()
    }

    @Test func simpleQueryRunsAScriptAndStopsAtTheFirstError() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_script"), logger: TestDatabase.logger)
        try await connection.simpleQuery(
            """
            CREATE TABLE a (id int);
            -- a comment; with a semicolon
            INSERT INTO a VALUES (1), (2);
            CREATE INDEX a_id ON a (id);
            """)
        #expect(try await connection.query("SELECT count(*) FROM a").first?.decode(0, as: Int.self) == 2)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.simpleQuery("INSERT INTO a VALUES (3); SELECT nonsense FROM a; INSERT INTO a VALUES (4)")
        }
        #expect(error?.sqlState == "42703")
        // The script ran as one implicit transaction: nothing of it stayed.
        #expect(try await connection.query("SELECT count(*) FROM a").first?.decode(0, as: Int.self) == 2)
        await connection.close()
    }

    @Test func aPipelineSendsSeveralStatementsAtOnce() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_pipeline"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE events (id int8 PRIMARY KEY, body text)")
        let results = try await connection.pipeline([
            PostgresStatement("INSERT INTO events VALUES ($1, $2)", [1, "one"], statementName: "insert_event"),
            PostgresStatement("INSERT INTO events VALUES ($1, $2)", [2, "two"], statementName: "insert_event"),
            PostgresStatement("SELECT count(*) FROM events"),
        ])
        #expect(results.count == 3)
        #expect(results[0].affectedRows == 1)
        #expect(try results[2].first?.decode(0, as: Int.self) == 2)
        // A failure aborts the whole batch: it ran as one implicit transaction.
        let error = await #expect(throws: PostgresError.self) {
            try await connection.pipeline([
                PostgresStatement("INSERT INTO events VALUES ($1, $2)", [3, "three"], statementName: "insert_event"),
                PostgresStatement("INSERT INTO events VALUES ($1, $2)", [1, "duplicate"], statementName: "insert_event"),
                PostgresStatement("INSERT INTO events VALUES ($1, $2)", [4, "four"]),
            ])
        }
        #expect(error?.kind == .uniqueViolation)
        #expect(error?.statementName == "insert_event")
        #expect(try await connection.query("SELECT count(*) FROM events").first?.decode(0, as: Int.self) == 2)
        await connection.close()
    }

    @Test func aTextParameterWithANulByteIsRejectedClearly() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_nul"), logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT $1::text", ["a\u{0}b"]) }
        #expect(error?.kind == .typeMismatch)
        #expect(error?.message.contains("$1") == true)
        await connection.close()
    }
}

extension StatementTests {
    @Test func copyIsRefusedAndTheSessionStaysUsable() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_stmt_copy"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE c (v int); INSERT INTO c VALUES (1)")
        await #expect(throws: PostgresError.self) { try await connection.simpleQuery("COPY c FROM STDIN") }
        await #expect(throws: PostgresError.self) { try await connection.query("COPY c TO STDOUT") }
        #expect(try await connection.query("SELECT count(*) FROM c").first?.decode(0, as: Int.self) == 1)
        await connection.close()
    }
}
