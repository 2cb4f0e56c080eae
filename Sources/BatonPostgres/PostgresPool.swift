// A bounded pool of connections. At most `maximumConnections` exist (open or opening); a task that finds none
// idle and no room to open one waits in a FIFO queue and is handed the next returned connection directly, or
// the slot of one that was discarded (it then opens a new connection itself). Connections are opened lazily.
//
// Broken connections are replaced: a checked-out connection is first checked without a round trip (a
// terminated backend leaves its FATAL message and end-of-file on the socket); a dead one is closed and a new
// one opened in its slot. A connection whose statement failed with a lost connection is discarded when it is
// returned. A connection returned inside an open transaction is rolled back first. All bookkeeping happens
// under one lock; connecting, checking and closing happen outside it.
import Foundation
import Logging

/// A bounded pool of `PostgresConnection`s with a waiting queue.
public final class PostgresPool: Sendable {
    /// Counts describing the pool at one moment.
    public struct Statistics: Sendable, Equatable {
        /// Connections open or being opened.
        public var open: Int
        /// Open connections not in use.
        public var idle: Int
        /// Tasks waiting for a connection.
        public var waiting: Int

        /// Counts with these values.
        public init(open: Int, idle: Int, waiting: Int) {
            self.open = open
            self.idle = idle
            self.waiting = waiting
        }
    }

    private enum Grant {
        case connection(PostgresConnection)
        case slot
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Grant, any Error>
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false
    }

    /// Where the pool's connections connect.
    public let configuration: PostgresConfiguration
    /// The most connections the pool opens at once.
    public let maximumConnections: Int
    private let logger: Logger
    private let state = LockedValue(State())

    /// A pool of at most `maximumConnections` connections to `configuration` (opened on demand).
    public init(configuration: PostgresConfiguration, maximumConnections: Int, logger: Logger = Logger(label: "baton.postgres.pool")) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maximumConnections = maximumConnections
        self.logger = logger
    }

    /// The pool's current counts.
    public var statistics: Statistics {
        state.withLock { Statistics(open: $0.open, idle: $0.idle.count, waiting: $0.waiters.count) }
    }

    /// Runs `body` with a connection of its own and returns the connection afterwards (rolled back if `body`
    /// left a transaction open; discarded if it broke). Waits while all connections are in use, so `body`
    /// must not wait for a second connection from the same pool (that can deadlock an exhausted pool).
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await checkout()
        let value: T
        do {
            value = try await body(connection)
        } catch {
            await checkin(connection)
            throw error
        }
        await checkin(connection)
        return value
    }

    /// Runs `body` in a transaction on a pooled connection (see `PostgresConnection.transaction`).
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        retryOnSerializationFailure: Bool = false,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.transaction(
                isolation: isolation, retryOnSerializationFailure: retryOnSerializationFailure, body)
        }
    }

    /// Runs one statement on a pooled connection (see `PostgresConnection.query`).
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], statementName: String? = nil
    ) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters, statementName: statementName) }
    }

    /// Runs one statement on a pooled connection and returns the number of affected rows.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], statementName: String? = nil
    ) async throws -> Int {
        try await withConnection { try await $0.execute(sql, parameters, statementName: statementName) }
    }

    /// Runs a multi-statement script on a pooled connection (see `PostgresConnection.simpleQuery`).
    public func simpleQuery(_ script: String) async throws {
        try await withConnection { try await $0.simpleQuery(script) }
    }

    /// Closes idle connections now and the others when they are returned; waiting and later callers get an error.
    public func close() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresPool.closedError) }
        for connection in idle { await connection.close() }
    }

    static let closedError = PostgresError(kind: .other, message: "the connection pool is closed")

    // MARK: checkout and checkin

    private func checkout() async throws -> PostgresConnection {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let grant: Grant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                state.withLock { state in
                    if state.closed {
                        continuation.resume(throwing: PostgresPool.closedError)
                    } else if let connection = state.idle.popLast() {
                        continuation.resume(returning: .connection(connection))
                    } else if state.open < maximumConnections {
                        state.open += 1
                        continuation.resume(returning: .slot)
                    } else if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        if case .connection(let connection) = grant {
            if !connection.isBroken, await connection.checkAlive() { return connection }
            logger.info("replacing a broken connection", metadata: ["db.backend_pid": .stringConvertible(connection.backendPID)])
            await connection.close()
        }
        // We own a slot: open a connection in it.
        do {
            return try await PostgresConnection.connect(configuration, logger: logger)
        } catch {
            releaseSlot()
            throw error
        }
    }

    private func checkin(_ connection: PostgresConnection) async {
        let closed = state.withLock { $0.closed }
        if closed || connection.isBroken {
            await discard(connection)
            return
        }
        guard await connection.resetSession() else {
            await discard(connection)
            return
        }
        let waiter = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .connection(connection))
    }

    private func discard(_ connection: PostgresConnection) async {
        await connection.close()
        releaseSlot()
    }

    /// Frees a slot; a waiting task gets it to open a connection of its own.
    private func releaseSlot() {
        let waiter = state.withLock { state -> Waiter? in
            state.open -= 1
            guard !state.closed, !state.waiters.isEmpty else { return nil }
            state.open += 1
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .slot)
    }
}
