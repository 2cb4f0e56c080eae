import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

private struct Boom: Error {}

/// Transactions through a closure: commit on return, rollback on throw, retry of serialization failures.
@Suite struct TransactionTests {
    @Test func commitsOnReturnAndRollsBackOnThrow() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_tx_basic"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE t (v text)")
        let value = try await connection.transaction { tx in
            try await tx.execute("INSERT INTO t VALUES ($1)", ["kept"])
            return 5
        }
        #expect(value == 5)
        await #expect(throws: Boom.self) {
            try await connection.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES ($1)", ["discarded"])
                throw Boom()
            }
        }
        let values = try await connection.query("SELECT v FROM t ORDER BY v").map { try $0.decode(0, as: String.self) }
        #expect(values == ["kept"])
        // The session is idle again: a new transaction starts cleanly.
        try await connection.transaction { tx in try await tx.execute("INSERT INTO t VALUES ('again')") }
        #expect(try await connection.query("SELECT count(*) FROM t").first?.decode(0, as: Int.self) == 2)
        await connection.close()
    }

    @Test func aFailedStatementRollsBackTheWholeTransaction() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_tx_failed"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE t (id int PRIMARY KEY)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (1)")
                try await tx.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error?.kind == .uniqueViolation)
        #expect(try await connection.query("SELECT count(*) FROM t").first?.decode(0, as: Int.self) == 0)
        await connection.close()
    }

    @Test func nestedTransactionsBecomeSavepoints() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_tx_nested"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE t (v text)")
        try await connection.transaction { tx in
            try await tx.execute("INSERT INTO t VALUES ('outer')")
            try? await tx.transaction { inner in
                try await inner.execute("INSERT INTO t VALUES ('inner')")
                throw Boom()
            }
        }
        let values = try await connection.query("SELECT v FROM t").map { try $0.decode(0, as: String.self) }
        #expect(values == ["outer"])
        await connection.close()
    }

    /// Two serializable transactions each read the other's row and update their own: one must fail with a
    /// serialization failure. With retry enabled both bodies complete; the loser ran twice.
    @Test func aSerializationFailureIsRetried() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_tx_serialization")
        let setup = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await setup.simpleQuery("CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 100), (2, 100)")
        let first = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        let second = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        let attempts = LockedCounter()
        // Both transactions have read before either writes: a barrier built from two counters.
        let readers = LockedCounter()

        @Sendable func transfer(_ connection: PostgresConnection, from: Int, to: Int) async throws {
            try await connection.transaction(isolation: .serializable, retryOnSerializationFailure: true) { tx in
                let attempt = attempts.increment()
                let total = try await tx.query("SELECT sum(balance) FROM accounts").first!.decode(0, as: Int.self)
                if attempt <= 2 {
                    readers.increment()
                    try await waitUntil("both transactions have read", timeout: .seconds(10)) { readers.value >= 2 }
                }
                try await tx.execute("UPDATE accounts SET balance = $1 WHERE id = $2", [total - 100, from])
                _ = to
            }
        }
        async let a: Void = transfer(first, from: 1, to: 2)
        async let b: Void = transfer(second, from: 2, to: 1)
        _ = try await (a, b)
        // At least one body ran again (a retry may itself conflict with the other, still open, transaction).
        #expect(attempts.value >= 3, "a transaction should have been retried after its serialization failure")
        let balances = try await setup.query("SELECT balance FROM accounts ORDER BY id").map { try $0.decode(0, as: Int.self) }
        // Serially: the first sets its row to 200-100=100, the second sees 200 total and sets its row to 100.
        #expect(balances == [100, 100])
        await first.close()
        await second.close()
        await setup.close()
    }

    @Test func withoutRetryTheSerializationFailureIsThrown() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_tx_no_retry")
        let setup = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await setup.simpleQuery("CREATE TABLE counter (id int PRIMARY KEY, n int); INSERT INTO counter VALUES (1, 0)")
        let first = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        let second = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await first.simpleQuery("BEGIN ISOLATION LEVEL REPEATABLE READ")
        _ = try await first.query("SELECT n FROM counter WHERE id = 1")
        try await second.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
        let error = await #expect(throws: PostgresError.self) {
            try await first.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
        }
        #expect(error?.kind == .serializationFailure)
        #expect(error?.sqlState == "40001")
        try await first.simpleQuery("ROLLBACK")
        await first.close()
        await second.close()
        await setup.close()
    }
}

/// A counter shared between tasks.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    @discardableResult func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
