import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// Server errors carry their SQLSTATE and kind; connection failures are one clear line without the password;
/// decoding the wrong type or a NULL names the column.
@Suite struct ErrorTests {
    @Test func badSQLYieldsItsSQLState() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_errors_sql"), logger: TestDatabase.logger)
        let syntax = await #expect(throws: PostgresError.self) { try await connection.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601")
        #expect(syntax?.kind == .syntaxError)
        let table = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT * FROM no_such_table", statementName: "missing_table")
        }
        #expect(table?.sqlState == "42P01")
        #expect(table?.kind == .undefinedTable)
        #expect(table?.statementName == "missing_table")
        #expect(table?.description.contains("[statement missing_table]") == true)
        // The connection is still usable after an error.
        #expect(try await connection.query("SELECT 1").first?.decode(0, as: Int.self) == 1)
        #expect(!connection.isBroken)
        await connection.close()
    }

    @Test func constraintViolationsAreGroupedByMeaning() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_errors_constraints"), logger: TestDatabase.logger)
        try await connection.simpleQuery(
            """
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent, n int NOT NULL CHECK (n > 0));
            INSERT INTO parent VALUES (1);
            INSERT INTO child VALUES (1, 1, 1);
            """)
        let cases: [(String, [(any PostgresEncodable)?], PostgresError.Kind, String)] = [
            ("INSERT INTO child VALUES ($1, 1, 1)", [1], .uniqueViolation, "23505"),
            ("INSERT INTO child VALUES (2, $1, 1)", [99], .foreignKeyViolation, "23503"),
            ("INSERT INTO child VALUES (3, 1, $1)", [0], .checkViolation, "23514"),
            ("INSERT INTO child VALUES (4, 1, $1)", [nil], .notNullViolation, "23502"),
        ]
        for (sql, parameters, kind, state) in cases {
            let error = await #expect(throws: PostgresError.self) { try await connection.execute(sql, parameters) }
            #expect(error?.kind == kind)
            #expect(error?.sqlState == state)
        }
        let unique = await #expect(throws: PostgresError.self) { try await connection.execute("INSERT INTO child VALUES (1, 1, 1)") }
        #expect(unique?.constraintName == "child_pkey")
        #expect(unique?.detail?.contains("already exists") == true)
        await connection.close()
    }

    @Test func aWrongPasswordIsAClearLineWithoutThePassword() async throws {
        let correct = try TestDatabase.passwordConfiguration()
        let wrong = correct.setting("password", to: "definitely-Wrong-pw-42")
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(wrong, logger: TestDatabase.logger)
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.description.contains("definitely-Wrong-pw-42") == false)
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains("password authentication failed") == true)
        // The right password works, so the failure above was the password's.
        let connection = try await PostgresConnection.connect(correct, logger: TestDatabase.logger)
        #expect(try await connection.query("SELECT current_user::text").first?.decode(0, as: String.self) == "baton_password_test")
        await connection.close()
    }

    @Test func aDownServerIsAClearLine() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let down = try PostgresConfiguration(url: "postgresql://nobody:Secret-pw-77@127.0.0.1:1/postgres?connect_timeout=3")
        let error = await #expect(throws: PostgresError.self) { try await PostgresConnection.connect(down, logger: TestDatabase.logger) }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.description.contains("Secret-pw-77") == false)
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains("127.0.0.1") == true)
    }

    @Test func decodingTheWrongTypeOrANullNamesTheColumn() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_errors_decode"), logger: TestDatabase.logger)
        let rows = try await connection.query("SELECT 42::int8 AS answer, NULL::text AS nothing, 70000 AS big")
        let row = try #require(rows.first)
        let mismatch = #expect(throws: PostgresError.self) { try row.decode("answer", as: String.self) }
        #expect(mismatch?.kind == .typeMismatch)
        #expect(mismatch?.message.contains("\"answer\"") == true)
        let null = #expect(throws: PostgresError.self) { try row.decode("nothing", as: String.self) }
        #expect(null?.kind == .unexpectedNull)
        #expect(null?.message.contains("\"nothing\"") == true)
        let overflow = #expect(throws: PostgresError.self) { try row.decode("big", as: Int16.self) }
        #expect(overflow?.kind == .typeMismatch)
        let sums = try await connection.query("SELECT sum(x), 2.5::numeric FROM (VALUES (1::int8), (2::int8)) AS v(x)")
        #expect(try sums.first?.decode(0, as: Int.self) == 3)
        let fractional = #expect(throws: PostgresError.self) { try sums.first?.decode(1, as: Int.self) }
        #expect(fractional?.kind == .typeMismatch)
        let missing = #expect(throws: PostgresError.self) { try row.decode("nope", as: Int.self) }
        #expect(missing?.message.contains("nope") == true)
        await connection.close()
    }

    @Test func aKilledConnectionFailsWithConnectionLost() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_errors_killed")
        let connection = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await TestDatabase.terminateBackend(pid: connection.backendPID)
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error?.kind == .connectionLost)
        #expect(connection.isBroken)
        await connection.close()
    }

    @Test func aCanceledTaskCancelsItsStatement() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_errors_cancel"), logger: TestDatabase.logger)
        let started = ContinuousClock.now
        let sleeper = Task { try await connection.query("SELECT pg_sleep(30)") }
        try await waitUntil("pg_sleep is running") {
            try await !TestDatabase.backendPIDs(database: TestDatabase.databaseName(for: "pg_errors_cancel"), queryPrefix: "SELECT pg_sleep").isEmpty
        }
        sleeper.cancel()
        let result = await sleeper.result
        #expect(throws: PostgresError.self) { try result.get() }
        if case .failure(let error as PostgresError) = result { #expect(error.kind == .queryCanceled) }
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(try await connection.query("SELECT 2").first?.decode(0, as: Int.self) == 2)
        await connection.close()
    }

    /// A cancel request names the session, not the statement: one still on its way when its statement ends
    /// would cancel the next statement on the connection (CI saw a worker's task result canceled that way).
    /// Statements cancelled at every moment of their run, each followed at once by another: the next one always
    /// runs to its end.
    @Test func aCancelNeverReachesTheNextStatement() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_errors_cancel_next"), logger: TestDatabase.logger)
        var canceled = 0
        for round in 0..<150 {
            let quick = Task { try await connection.query("SELECT pg_sleep(0.002)") }
            // Not synchronisation: the cancel lands at a different point of the statement's run each round.
            try await Task.sleep(for: .microseconds(100 * (round % 30)))
            quick.cancel()
            if case .failure(let error as PostgresError) = await quick.result, error.kind == .queryCanceled { canceled += 1 }
            let next = try await connection.query("SELECT pg_sleep(0.003), 2")
            #expect(try next.first?.decode(1, as: Int.self) == 2)
        }
        #expect(canceled > 0, "some statements were canceled while they ran")
        await connection.close()
    }

    @Test func cancellingAQueuedCallSkipsItWithoutCancellingTheRunningOne() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_errors_cancel_queued")
        let database = TestDatabase.databaseName(for: "pg_errors_cancel_queued")
        let locker = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        let connection = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE t (v int)")
        try await locker.query("SELECT pg_advisory_lock(42)")
        // The running call waits for the lock, so the next call on the same connection stays queued.
        let running = Task { try await connection.query("SELECT pg_advisory_lock(42)") }
        try await waitUntil("the first call waits for the lock") {
            try await !TestDatabase.backendPIDs(database: database, queryPrefix: "SELECT pg_advisory_lock(42)").filter { $0 != locker.backendPID }.isEmpty
        }
        let queued = Task { try await connection.execute("INSERT INTO t VALUES (1)") }
        queued.cancel()
        try await locker.query("SELECT pg_advisory_unlock(42)")
        try await running.value
        let outcome = await queued.result
        #expect(throws: PostgresError.self) { try outcome.get() }
        if case .failure(let error as PostgresError) = outcome { #expect(error.kind == .queryCanceled) }
        #expect(try await connection.query("SELECT count(*) FROM t").first?.decode(0, as: Int.self) == 0)
        await connection.close()
        await locker.close()
    }
}
