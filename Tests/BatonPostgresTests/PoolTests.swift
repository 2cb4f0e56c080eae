import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// The pool bounds its connections, queues waiters, and replaces connections that died.
@Suite struct PoolTests {
    @Test func twoHundredConcurrentQueriesOverEightConnectionsComplete() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_concurrent")
        let database = TestDatabase.databaseName(for: "pg_pool_concurrent")
        let pool = PostgresPool(
            configuration: configuration.withApplicationName("pool-200"), maximumConnections: 8, logger: TestDatabase.logger)
        let peak = LockedCounter()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let value = try await pool.query(
                        "SELECT $1::int8 * 2, (SELECT count(*) FROM pg_stat_activity WHERE datname = $2 AND application_name = 'pool-200')",
                        [index, database], statementName: "double_it")
                    let open = try value[0].decode(1, as: Int.self)
                    while peak.value < open { peak.increment() }
                    return try value[0].decode(0, as: Int.self)
                }
            }
            var collected: [Int] = []
            for try await value in group { collected.append(value) }
            return collected
        }
        #expect(results.sorted() == (0..<200).map { $0 * 2 })
        #expect(pool.statistics.open <= 8)
        #expect(peak.value <= 8, "the server never saw more than 8 pool connections")
        #expect(pool.statistics.waiting == 0)
        await pool.close()
    }

    @Test func aKilledConnectionIsReplaced() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_killed")
        let database = TestDatabase.databaseName(for: "pg_pool_killed")
        let pool = PostgresPool(
            configuration: configuration.withApplicationName("pool-killed"), maximumConnections: 2, logger: TestDatabase.logger)
        let firstPID = try await pool.withConnection { $0.backendPID }
        #expect(pool.statistics == .init(open: 1, idle: 1, waiting: 0))
        try await TestDatabase.terminateBackend(pid: firstPID)
        // The idle connection is found dead at checkout and a new one takes its place; the caller sees no error.
        let (secondPID, one) = try await pool.withConnection { connection in
            (connection.backendPID, try await connection.query("SELECT 1").first?.decode(0, as: Int.self))
        }
        #expect(one == 1)
        #expect(secondPID != firstPID)
        #expect(pool.statistics.open == 1)
        let live = try await TestDatabase.backendPIDs(database: database, applicationName: "pool-killed")
        #expect(live == [secondPID])
        await pool.close()
    }

    @Test func aConnectionThatDiesMidUseIsDiscardedOnReturn() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_midway")
        let pool = PostgresPool(configuration: configuration, maximumConnections: 1, logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await TestDatabase.terminateBackend(pid: connection.backendPID)
                try await connection.query("SELECT 1")
            }
        }
        #expect(error?.kind == .connectionLost)
        #expect(pool.statistics.open == 0)
        #expect(try await pool.query("SELECT 7").first?.decode(0, as: Int.self) == 7)
        await pool.close()
    }

    @Test func aTransactionLeftOpenIsRolledBackOnReturn() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_left_open")
        let pool = PostgresPool(configuration: configuration, maximumConnections: 1, logger: TestDatabase.logger)
        try await pool.simpleQuery("CREATE TABLE t (v int)")
        try await pool.withConnection { connection in
            try await connection.simpleQuery("BEGIN; INSERT INTO t VALUES (1)")
        }
        let status = try await pool.withConnection { connection in
            try await connection.query("SELECT count(*) FROM t").first!.decode(0, as: Int.self)
        }
        #expect(status == 0)
        await pool.close()
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_cancel")
        let pool = PostgresPool(configuration: configuration, maximumConnections: 1, logger: TestDatabase.logger)
        let release = LockedCounter()
        let holder = Task {
            try await pool.withConnection { _ in
                try await waitUntil("the test releases the connection", timeout: .seconds(30)) { release.value > 0 }
            }
        }
        try await waitUntil("the holder has the connection") { pool.statistics.open == 1 && pool.statistics.idle == 0 }
        let waiter = Task { try await pool.query("SELECT 1") }
        try await waitUntil("the second caller waits") { pool.statistics.waiting == 1 }
        waiter.cancel()
        let outcome = await waiter.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(pool.statistics.waiting == 0)
        release.increment()
        try await holder.value
        #expect(try await pool.query("SELECT 3").first?.decode(0, as: Int.self) == 3)
        await pool.close()
    }

    @Test func aDownServerFailsTheCallerAndFreesTheSlot() async throws {
        let down = try PostgresConfiguration(url: "postgresql://nobody@127.0.0.1:1/postgres")
        let pool = PostgresPool(configuration: down, maximumConnections: 1, logger: TestDatabase.logger)
        for _ in 0..<2 {
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.kind == .connectionFailed)
        }
        #expect(pool.statistics == .init(open: 0, idle: 0, waiting: 0))
        await pool.close()
    }

    @Test func aClosedPoolRefusesWork() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_pool_closed")
        let pool = PostgresPool(configuration: configuration, maximumConnections: 2, logger: TestDatabase.logger)
        try await pool.query("SELECT 1")
        await pool.close()
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(pool.statistics.open == 0)
    }
}
