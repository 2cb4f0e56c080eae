// The libpq connection itself: a PGconn and the synchronous calls Baton makes on it. Every method here
// blocks and must run on the connection's own `ConnectionThread` (the only thread that ever touches the
// PGconn); `PostgresConnection` is the async face that submits these calls as jobs. Results are copied out
// of the PGresult into a `PostgresRows` before the PGresult is freed. Errors are turned into `PostgresError`
// here, and a connection that libpq reports as bad is flagged `broken` so pools replace it.
import CLibPQ
import Foundation
import Logging

/// Receives server NOTICEs (e.g. "table does not exist, skipping") and logs them instead of libpq's stderr.
final class NoticeLogger: @unchecked Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}

/// A libpq connection confined to one thread. `@unchecked Sendable` only so jobs can carry it to that thread.
final class LibPQConnection: @unchecked Sendable {
    private var conn: OpaquePointer?
    private let noticeLogger: NoticeLogger
    private let secrets: [String]
    /// Prepared statements on this session, by name.
    private var prepared: [String: PreparedStatement] = [:]
    /// Set when libpq reports the connection bad; readable from any thread.
    let broken = LockedValue(false)
    /// The server process serving this connection.
    let backendPID: Int32
    /// Sends cancel requests for this connection from any thread.
    let canceller: Canceller?
    /// The job running on the connection's thread and the cancel requests sent for it (`PostgresConnection.onThread`).
    let cancelGate = CancelGate()

    private init(conn: OpaquePointer, noticeLogger: NoticeLogger, secrets: [String]) {
        self.conn = conn
        self.noticeLogger = noticeLogger
        self.secrets = secrets
        self.backendPID = PQbackendPID(conn)
        self.canceller = PQgetCancel(conn).map(Canceller.init)
    }

    /// Connects (blocking) and prepares the session: UTF-8, ISO dates, UTC, exact floats, hex bytea.
    static func connect(
        _ configuration: PostgresConfiguration, logger: Logger
    ) -> Result<LibPQConnection, PostgresError> {
        var parameters = configuration.parameters
        func addDefault(_ keyword: String, _ value: String) {
            if !parameters.contains(where: { $0.keyword == keyword }) { parameters.append((keyword, value)) }
        }
        addDefault("connect_timeout", "10")
        addDefault("fallback_application_name", "baton")
        // TCP keepalives notice a peer that vanished without closing (a listener may sit idle for long);
        // libpq ignores them on unix sockets.
        addDefault("keepalives_idle", "30")
        addDefault("keepalives_interval", "10")
        addDefault("keepalives_count", "3")
        parameters.removeAll { $0.keyword == "client_encoding" }
        parameters.append(("client_encoding", "UTF8"))
        let conn = withCStringArray(parameters.map(\.keyword)) { keywords in
            withCStringArray(parameters.map(\.value)) { values in
                PQconnectdbParams(keywords, values, 0)
            }
        }
        guard let conn else {
            return .failure(PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection"))
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let reason = PostgresConfiguration.scrub(
                PostgresError.oneLine(String(cString: PQerrorMessage(conn))), secrets: configuration.secrets)
            PQfinish(conn)
            return .failure(connectError(reason: reason, configuration: configuration))
        }
        let noticeLogger = NoticeLogger(logger: logger)
        PQsetNoticeReceiver(
            conn,
            { argument, result in
                guard let argument, let result else { return }
                let sink = Unmanaged<NoticeLogger>.fromOpaque(argument).takeUnretainedValue()
                let message = PQresultErrorField(result, diag("M")).map { String(cString: $0) } ?? ""
                let severity = PQresultErrorField(result, diag("V")).map { String(cString: $0) } ?? "NOTICE"
                sink.logger.debug(
                    "server notice", metadata: ["db.notice": .string(message), "db.severity": .string(severity)])
            }, Unmanaged.passUnretained(noticeLogger).toOpaque())
        let connection = LibPQConnection(conn: conn, noticeLogger: noticeLogger, secrets: configuration.secrets)
        let setup =
            "SET DateStyle TO 'ISO, MDY'; SET TimeZone TO 'UTC'; SET extra_float_digits TO 3; SET bytea_output TO 'hex'"
        if case .failure(let error) = connection.simpleQuery(setup) {
            connection.finish()
            return .failure(error)
        }
        return .success(connection)
    }

    /// A connect failure as one line, classified: bad credentials, or the server could not be reached.
    static func connectError(reason: String, configuration: PostgresConfiguration) -> PostgresError {
        let lowered = reason.lowercased()
        let authentication = ["authentication failed", "no password supplied", "password is required", "role \""]
            .contains { lowered.contains($0) }
        return PostgresError(
            kind: authentication ? .authenticationFailed : .connectionFailed,
            sqlState: lowered.contains("password authentication failed") ? "28P01" : nil,
            message: "could not connect to \(configuration.redactedDescription): \(reason)")
    }

    var isFinished: Bool { conn == nil }

    /// The PGconn, for extensions in this file's module that run on the connection's thread.
    var rawConnection: OpaquePointer? { conn }

    /// Closes the connection (idempotent).
    func finish() {
        if let conn {
            PQfinish(conn)
            self.conn = nil
        }
        broken.withLock { $0 = true }
    }

    /// Runs a statement with parameters; with a statement name, prepares it once per connection and reuses it.
    func execute(_ sql: String, _ parameters: [PostgresParameter?], statementName: String?) -> Result<PostgresRows, PostgresError> {
        guard let conn else { return .failure(.closed()) }
        return withParameterArrays(parameters, statementName: statementName) { count, types, values, lengths, formats in
            guard let statementName else {
                let result = PQexecParams(conn, sql, count, types, values, lengths, formats, 0)
                return rows(from: result, statementName: nil)
            }
            if case .failure(let error) = ensurePrepared(statementName, sql: sql, parameterCount: count, types: types) {
                return .failure(error)
            }
            var outcome = rows(from: PQexecPrepared(conn, statementName, count, values, lengths, formats, 0), statementName: statementName)
            if case .failure(let error) = outcome, error.sqlState == "26000" {
                // The session lost the statement (DEALLOCATE ALL, a pooler): prepare it again, once — unless
                // the failure aborted an open transaction, where only the caller's retry can help.
                prepared[statementName] = nil
                guard PQtransactionStatus(conn) == PQTRANS_IDLE else { return outcome }
                if case .failure(let error) = ensurePrepared(statementName, sql: sql, parameterCount: count, types: types) {
                    return .failure(error)
                }
                outcome = rows(from: PQexecPrepared(conn, statementName, count, values, lengths, formats, 0), statementName: statementName)
            }
            return outcome
        }
    }

    func ensurePrepared(
        _ name: String, sql: String, parameterCount: Int32, types: UnsafePointer<Oid>?
    ) -> Result<Void, PostgresError> {
        guard let conn else { return .failure(.closed()) }
        var replans = 0
        if var existing = prepared[name] {
            if existing.sql == sql {
                existing.uses += 1
                guard existing.uses >= PreparedStatement.replanAfter(existing.replans) else {
                    prepared[name] = existing
                    return .success(())
                }
                replans = existing.replans + 1
            }
            // Same name, new SQL (or time to plan again): replace the session's statement.
            if case .failure(let error) = rows(from: PQexec(conn, "DEALLOCATE \(quoteIdentifier(name))"), statementName: name) {
                return .failure(error)
            }
            prepared[name] = nil
        }
        switch rows(from: PQprepare(conn, name, sql, parameterCount, types), statementName: name) {
        case .success:
            prepared[name] = PreparedStatement(sql: sql, replans: replans)
            return .success(())
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Runs a multi-statement script with the simple query protocol; stops at the first error.
    func simpleQuery(_ script: String) -> Result<Void, PostgresError> {
        guard let conn else { return .failure(.closed()) }
        guard PQsendQuery(conn, script) == 1 else { return .failure(connectionError()) }
        var firstError: PostgresError?
        while let result = PQgetResult(conn) {
            guard firstError == nil else {
                PQclear(result)
                continue
            }
            if case .failure(let error) = rows(from: result, statementName: nil) { firstError = error }
        }
        if firstError == nil, PQstatus(conn) != CONNECTION_OK { firstError = connectionError() }
        return firstError.map { .failure($0) } ?? .success(())
    }

    /// Whether the connection is still usable, checked without a round trip: a healthy idle connection has
    /// nothing to read, while a terminated one has the server's FATAL message and end-of-file waiting.
    func checkAlive() -> Bool {
        guard let conn, PQstatus(conn) == CONNECTION_OK else { return false }
        let socket = PQsocket(conn)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        var rounds = 0
        while rounds < 16, poll(&descriptor, 1, 0) > 0 {
            rounds += 1
            if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK {
                broken.withLock { $0 = true }
                return false
            }
            while let notification = PQnotifies(conn) { PQfreemem(notification) }
        }
        return true
    }

    /// The session's transaction state.
    var transactionStatus: PGTransactionStatusType {
        guard let conn else { return PQTRANS_UNKNOWN }
        return PQtransactionStatus(conn)
    }

    // MARK: results and errors

    /// Copies a PGresult into rows, or turns it into an error; always frees it.
    func rows(from result: OpaquePointer?, statementName: String?) -> Result<PostgresRows, PostgresError> {
        guard let result else { return .failure(connectionError(statementName: statementName)) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return .success(copyRows(result))
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_PIPELINE_SYNC:
            return .success(PostgresRows(storage: .empty, commandTag: commandTag(result), affectedRows: affectedRows(result)))
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // End the copy so the session stays usable: refuse to send data, discard data sent to us.
            if let conn {
                if PQresultStatus(result) == PGRES_COPY_IN {
                    _ = PQputCopyEnd(conn, "COPY FROM STDIN is not supported by Baton's Postgres client")
                } else {
                    var buffer: UnsafeMutablePointer<CChar>? = nil
                    while PQgetCopyData(conn, &buffer, 0) > 0 {
                        PQfreemem(buffer)
                        buffer = nil
                    }
                }
                while let rest = PQgetResult(conn) { PQclear(rest) }
            }
            return .failure(PostgresError(kind: .other, message: "COPY is not supported by this client", statementName: statementName))
        default:
            return .failure(error(from: result, statementName: statementName))
        }
    }

    private func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?"
            columns.append(PostgresColumn(name: name, dataType: PostgresDataType(PQftype(result, Int32(column)))))
        }
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount { total += Int(PQgetlength(result, Int32(row), Int32(column))) }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var cells: [(start: Int, length: Int)] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    cells.append((0, -1))
                    continue
                }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                let start = bytes.count
                if length > 0, let value = PQgetvalue(result, Int32(row), Int32(column)) {
                    value.withMemoryRebound(to: UInt8.self, capacity: length) {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                    }
                }
                cells.append((start, length))
            }
        }
        let storage = PostgresRowStorage(columns: columns, bytes: bytes, cells: cells, rowCount: rowCount)
        return PostgresRows(storage: storage, commandTag: commandTag(result), affectedRows: affectedRows(result))
    }

    private func commandTag(_ result: OpaquePointer) -> String {
        PQcmdStatus(result).map { String(cString: $0) } ?? ""
    }

    private func affectedRows(_ result: OpaquePointer) -> Int {
        PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// The error a failed PGresult describes. A server error carries its SQLSTATE fields; an error libpq
    /// made itself (lost connection) has none. If the connection is now bad, the kind is `connectionLost`.
    private func error(from result: OpaquePointer, statementName: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, diag(code)).map { scrub(String(cString: $0)) }
        }
        let sqlState = field("C")
        var message = field("M") ?? PQresultErrorMessage(result).map { scrub(String(cString: $0)) } ?? ""
        if message.isEmpty, let conn { message = scrub(String(cString: PQerrorMessage(conn))) }
        var error = PostgresError(
            kind: sqlState.map(PostgresError.Kind.init(sqlState:)) ?? .other, sqlState: sqlState, message: message,
            detail: field("D"), hint: field("H"), statementName: statementName, constraintName: field("n"))
        if let conn, PQstatus(conn) != CONNECTION_OK {
            broken.withLock { $0 = true }
            error.kind = .connectionLost
        } else if error.kind == .connectionLost || error.kind == .adminShutdown {
            broken.withLock { $0 = true }
        }
        return error
    }

    /// The connection's current error message as a `connectionLost` (or `other`, if the connection is fine).
    func connectionError(statementName: String? = nil) -> PostgresError {
        guard let conn else { return .closed() }
        let message = scrub(String(cString: PQerrorMessage(conn)))
        if PQstatus(conn) != CONNECTION_OK {
            broken.withLock { $0 = true }
            return PostgresError(kind: .connectionLost, message: message.isEmpty ? "connection lost" : message, statementName: statementName)
        }
        return PostgresError(kind: .other, message: message.isEmpty ? "libpq call failed" : message, statementName: statementName)
    }

    private func scrub(_ text: String) -> String { PostgresConfiguration.scrub(text, secrets: secrets) }

    // MARK: parameters

    /// Lays parameters out as libpq's parallel C arrays (types, values, lengths, formats) for `body`.
    /// Text values are NUL-terminated; a text value containing a NUL byte is rejected.
    func withParameterArrays<R>(
        _ parameters: [PostgresParameter?], statementName: String?,
        _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result<R, PostgresError>
    ) -> Result<R, PostgresError> {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(parameters.reduce(0) { $0 + ($1?.bytes.count ?? 0) + 1 })
        var offsets: [Int] = []
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for (position, parameter) in parameters.enumerated() {
            guard let parameter else {
                offsets.append(-1)
                types.append(0)
                lengths.append(0)
                formats.append(0)
                continue
            }
            if parameter.format == .text && parameter.bytes.contains(0) {
                return .failure(PostgresError(
                    kind: .typeMismatch, message: "parameter $\(position + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                    statementName: statementName))
            }
            offsets.append(buffer.count)
            buffer.append(contentsOf: parameter.bytes)
            buffer.append(0)
            types.append(parameter.dataType.rawValue)
            lengths.append(Int32(parameter.bytes.count))
            formats.append(parameter.format.rawValue)
        }
        return buffer.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard offset >= 0, let base else { return nil }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(Int32(parameters.count), types, values, lengths, formats)
        }
    }
}

/// A libpq cancel handle; `PQcancel` is thread-safe, so this may be used from any thread.
final class Canceller: @unchecked Sendable {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQfreeCancel(handle) }

    /// Asks the server to cancel the connection's running statement (blocking: it opens a new connection).
    func cancel() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &buffer, Int32(buffer.count))
    }
}

/// The libpq field code for a diagnostic letter (`PG_DIAG_SQLSTATE` is `'C'`, …).
func diag(_ code: Character) -> Int32 { Int32(code.asciiValue ?? 0) }

/// `name` quoted as an SQL identifier.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Calls `body` with a NULL-terminated C array of C strings.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// A statement prepared on a session, and how often it ran since.
///
/// PostgreSQL plans a prepared statement for its parameters five times, then settles on one generic plan for
/// the session's life (until the tables' statistics change, which autovacuum's analyze does at most once a
/// minute). A generic plan made while a table was nearly empty — a fresh deployment's first seconds, as in
/// every benchmark — can read the whole table once it has grown: the batch result statement's plan picked a
/// sequential scan of `tasks` on some connections, doubling the database's work for the rest of the run. So
/// a statement is prepared again after 50, 200, 800 and 3,200 runs, then every 10,000: a new plan for the
/// tables as they are, for two round trips and five custom plans each time.
struct PreparedStatement {
    var sql: String
    var uses = 0
    var replans = 0

    static func replanAfter(_ replans: Int) -> Int {
        replans < 4 ? 50 << (2 * replans) : 10_000
    }
}
