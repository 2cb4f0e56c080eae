// One PostgreSQL session. Each connection owns a `ConnectionThread`; every libpq call for it runs there as
// a job and the calling task waits on a continuation, so blocking libpq calls never occupy Swift's
// cooperative threads. Calls on one connection run one at a time, in the order they were made. Cancelling
// the waiting task sends libpq's cancel request from a short-lived thread of its own; the statement then
// fails with `queryCanceled`.
import CLibPQ
import Foundation
import Logging

/// A connection to PostgreSQL. Use it from one task at a time (a transaction belongs to the whole session);
/// a `PostgresPool` hands connections out that way.
public final class PostgresConnection: Sendable {
    let thread: ConnectionThread
    let handle: LibPQConnection
    let logger: Logger
    private let closed = LockedValue(false)
    let transactionDepth = LockedValue(0)

    /// Where this connection is connected.
    public let configuration: PostgresConfiguration
    /// The process ID of the server backend serving this connection (`pg_backend_pid()`).
    public var backendPID: Int32 { handle.backendPID }

    private static let counter = LockedValue(0)

    private init(thread: ConnectionThread, handle: LibPQConnection, configuration: PostgresConfiguration, logger: Logger) {
        self.thread = thread
        self.handle = handle
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        if !closed.current {
            let handle = self.handle
            thread.submit { handle.finish() }
        }
        thread.shutdown()
    }

    /// Opens a connection. A server that cannot be reached throws `connectionFailed`, bad credentials
    /// `authenticationFailed`; the message is one line and never contains the password.
    public static func connect(
        _ configuration: PostgresConfiguration, logger: Logger = Logger(label: "baton.postgres")
    ) async throws(PostgresError) -> PostgresConnection {
        let number = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let thread = ConnectionThread(name: "baton-pg-\(number)")
        let result = await thread.run(orElse: .failure(.closed())) {
            LibPQConnection.connect(configuration, logger: logger)
        }
        switch result {
        case .failure(let error):
            thread.shutdown()
            logger.debug("connection failed", metadata: ["db.error": .string(error.description)])
            throw error
        case .success(let handle):
            var logger = logger
            logger[metadataKey: "db.backend_pid"] = .stringConvertible(handle.backendPID)
            logger.debug("connected", metadata: ["db.url": .string(configuration.redactedDescription)])
            return PostgresConnection(thread: thread, handle: handle, configuration: configuration, logger: logger)
        }
    }

    /// Runs `body` with the libpq connection on the connection's thread.
    func onThread<T: Sendable>(
        _ body: @escaping @Sendable (LibPQConnection) -> Result<T, PostgresError>
    ) async throws(PostgresError) -> T {
        let handle = self.handle
        let thread = self.thread
        let job = PostgresConnection.jobCounter.withLock { value -> Int in
            value += 1
            return value
        }
        let cancelled = LockedValue(false)
        let result = await withTaskCancellationHandler {
            await thread.run(orElse: .failure(.closed())) { () -> Result<T, PostgresError> in
                guard !handle.isFinished else { return .failure(.closed()) }
                handle.cancelGate.start(job)
                defer { handle.cancelGate.finish() }
                if cancelled.current {
                    return .failure(PostgresError(kind: .queryCanceled, message: "canceled before it was sent"))
                }
                return body(handle)
            }
        } onCancel: {
            // A job still queued sees the flag and does not run. A running one gets libpq's cancel request,
            // sent from a thread of its own because PQcancel blocks. The request names only the session, so
            // the gate (CancelGate.swift) begins it only while this job runs and holds the next job back until
            // it was delivered: it can never cancel a later caller's statement.
            cancelled.withLock { $0 = true }
            guard let canceller = handle.canceller, handle.cancelGate.beginCancel(of: job) else { return }
            Thread.detachNewThread {
                canceller.cancel()
                handle.cancelGate.cancelDelivered()
            }
        }
        return try result.get()
    }

    private static let jobCounter = LockedValue(0)

    /// Runs one statement with `$1, $2, …` parameters and returns its rows. With a `statementName`, the
    /// statement is prepared once per connection under that name and executed by name afterwards (use it
    /// for hot queries; one name, one SQL text).
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], statementName: String? = nil
    ) async throws(PostgresError) -> PostgresRows {
        let encoded = parameters.map { $0?.postgresParameter }
        if logger.logLevel <= .trace {
            var metadata: Logger.Metadata = ["db.statement": .string(sql)]
            if let statementName { metadata["db.statement_name"] = .string(statementName) }
            logger.trace("query", metadata: metadata)
        }
        do {
            return try await onThread { $0.execute(sql, encoded, statementName: statementName) }
        } catch {
            logger.debug("query failed", metadata: ["db.statement": .string(sql), "db.error": .string(error.description)])
            throw error
        }
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], statementName: String? = nil
    ) async throws(PostgresError) -> Int {
        try await query(sql, parameters, statementName: statementName).affectedRows
    }

    /// Runs a script of several `;`-separated statements without parameters (migrations, DDL), stopping at
    /// the first error. Without its own BEGIN/COMMIT the script runs as one implicit transaction.
    public func simpleQuery(_ script: String) async throws(PostgresError) {
        logger.trace("simple query", metadata: ["db.statement": .string(script)])
        try await onThread { $0.simpleQuery(script) }
    }

    /// Sends several statements in one round trip (libpq pipeline mode) and returns each one's rows.
    /// They run as one implicit transaction (unless they contain BEGIN/COMMIT): the first error aborts the
    /// rest and is thrown. Meant for small batches on hot paths.
    @discardableResult
    public func pipeline(_ statements: [PostgresStatement]) async throws(PostgresError) -> [PostgresRows] {
        guard !statements.isEmpty else { return [] }
        logger.trace("pipeline", metadata: ["db.statement_count": .stringConvertible(statements.count)])
        return try await onThread { $0.pipeline(statements) }
    }

    /// Whether the connection is closed or was found dead (server restart, `pg_terminate_backend`, network).
    /// A broken connection cannot be used again; open a new one.
    public var isBroken: Bool { closed.current || handle.broken.current }

    /// Checks on the connection thread, without a round trip, that the server has not closed the session.
    func checkAlive() async -> Bool {
        let handle = self.handle
        return await thread.run(orElse: false) { handle.checkAlive() }
    }

    /// Rolls back a transaction the caller left open, so the session can be reused.
    func resetSession() async -> Bool {
        let handle = self.handle
        return await thread.run(orElse: false) {
            handle.cancelGate.waitForCancels()
            switch handle.transactionStatus {
            case PQTRANS_IDLE: return true
            case PQTRANS_INTRANS, PQTRANS_INERROR:
                if case .success = handle.simpleQuery("ROLLBACK") { return true }
                return false
            default: return false
            }
        }
    }

    /// Closes the connection and ends its thread. Safe to call more than once.
    public func close() async {
        let first = closed.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else { return }
        let handle = self.handle
        await thread.run(orElse: ()) { handle.finish() }
        thread.shutdown()
        logger.debug("connection closed")
    }
}

/// One statement of a pipeline: SQL, its parameters and optionally a prepared-statement name.
public struct PostgresStatement: Sendable {
    /// The SQL, with `$1, $2, …` placeholders.
    public var sql: String
    /// The encoded parameters (nil is NULL).
    public var parameters: [PostgresParameter?]
    /// Prepare the statement under this name and reuse it (see `PostgresConnection.query`).
    public var statementName: String?

    /// A statement with these parameters.
    public init(_ sql: String, _ parameters: [(any PostgresEncodable)?] = [], statementName: String? = nil) {
        self.sql = sql
        self.parameters = parameters.map { $0?.postgresParameter }
        self.statementName = statementName
    }
}
