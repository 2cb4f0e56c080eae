// Every failure BatonPostgres reports: a server error with its SQLSTATE, a lost or refused connection,
// a bad configuration, or a value that does not decode. SQLSTATEs are grouped by meaning in `Kind` so
// callers can switch on what happened (retry a serialization failure, report a unique violation, replace
// a dead connection) without memorising codes. No message ever carries a password: configuration errors
// are built from redacted text and libpq's own messages are scrubbed of the password before they get here.

/// An error from the Postgres client: a server error (with its SQLSTATE), a connection problem,
/// a bad configuration or a value that could not be decoded.
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, grouped by meaning.
    public enum Kind: String, Sendable, CustomStringConvertible, CaseIterable {
        /// SQLSTATE 23505: a unique or primary-key constraint was violated.
        case uniqueViolation
        /// SQLSTATE 23503: a foreign-key constraint was violated.
        case foreignKeyViolation
        /// SQLSTATE 23514: a CHECK constraint was violated.
        case checkViolation
        /// SQLSTATE 23502: NULL was written to a NOT NULL column.
        case notNullViolation
        /// SQLSTATE 40001: the transaction could not be serialized; safe to retry the whole transaction.
        case serializationFailure
        /// SQLSTATE 40P01: the transaction was chosen as a deadlock victim; safe to retry the whole transaction.
        case deadlockDetected
        /// SQLSTATE 42P01: the statement names a table that does not exist.
        case undefinedTable
        /// SQLSTATE 42601: the SQL does not parse.
        case syntaxError
        /// The connection died (server restart, `pg_terminate_backend`, network) or was already closed.
        /// Whether a statement in flight was executed is unknown.
        case connectionLost
        /// A connection could not be established (server down, unknown host, refused).
        case connectionFailed
        /// The server rejected the credentials (SQLSTATE class 28).
        case authenticationFailed
        /// SQLSTATE 57014: the statement was canceled (statement timeout or a cancel request).
        case queryCanceled
        /// SQLSTATE 57P01/57P02/57P03: the server is shutting down or not accepting connections.
        /// A statement that fails because its connection was terminated is reported as `connectionLost`
        /// (with `sqlState` 57P01), so callers need to handle only one kind for a dead connection.
        case adminShutdown
        /// A value does not have the type it is being decoded as, or does not fit it.
        case typeMismatch
        /// A column is NULL where a value is required (decode as an Optional to accept NULL).
        case unexpectedNull
        /// The connection URL or conninfo string is invalid.
        case invalidConfiguration
        /// Anything else; see `sqlState` and `message`.
        case other

        /// The kind in words, e.g. `unique violation`.
        public var description: String {
            switch self {
            case .uniqueViolation: "unique violation"
            case .foreignKeyViolation: "foreign key violation"
            case .checkViolation: "check violation"
            case .notNullViolation: "not-null violation"
            case .serializationFailure: "serialization failure"
            case .deadlockDetected: "deadlock detected"
            case .undefinedTable: "undefined table"
            case .syntaxError: "syntax error"
            case .connectionLost: "connection lost"
            case .connectionFailed: "connection failed"
            case .authenticationFailed: "authentication failed"
            case .queryCanceled: "query canceled"
            case .adminShutdown: "server shutting down"
            case .typeMismatch: "type mismatch"
            case .unexpectedNull: "unexpected NULL"
            case .invalidConfiguration: "invalid configuration"
            case .other: "database error"
            }
        }

        /// The kind a server SQLSTATE belongs to.
        public init(sqlState: String) {
            switch sqlState {
            case "23505": self = .uniqueViolation
            case "23503": self = .foreignKeyViolation
            case "23514": self = .checkViolation
            case "23502": self = .notNullViolation
            case "40001": self = .serializationFailure
            case "40P01": self = .deadlockDetected
            case "42P01": self = .undefinedTable
            case "42601": self = .syntaxError
            case "57014": self = .queryCanceled
            case "57P01", "57P02", "57P03": self = .adminShutdown
            default:
                if sqlState.hasPrefix("08") {
                    self = .connectionLost
                } else if sqlState.hasPrefix("28") {
                    self = .authenticationFailed
                } else {
                    self = .other
                }
            }
        }
    }

    /// What went wrong, grouped by meaning.
    public var kind: Kind
    /// The five-character SQLSTATE when the server (or libpq) reported one.
    public var sqlState: String?
    /// The primary message, on one line.
    public var message: String
    /// The server's DETAIL, if any.
    public var detail: String?
    /// The server's HINT, if any.
    public var hint: String?
    /// The name of the prepared statement that failed, if the statement had one.
    public var statementName: String?
    /// The constraint the error is about (unique, foreign key, check), if the server named one.
    public var constraintName: String?

    /// An error of `kind` with the given text.
    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        statementName: String? = nil, constraintName: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = PostgresError.oneLine(message)
        self.detail = detail.map(PostgresError.oneLine)
        self.hint = hint.map(PostgresError.oneLine)
        self.statementName = statementName
        self.constraintName = constraintName
    }

    /// Whether the connection that produced this error can no longer be used.
    public var isConnectionError: Bool {
        switch kind {
        case .connectionLost, .connectionFailed, .authenticationFailed, .adminShutdown: true
        default: false
        }
    }

    /// Whether repeating the whole transaction may succeed (serialization failure or deadlock).
    public var isRetryableTransactionFailure: Bool {
        kind == .serializationFailure || kind == .deadlockDetected
    }

    /// One line: kind, SQLSTATE, message, detail, hint and statement name, e.g.
    /// `unique violation (SQLSTATE 23505): duplicate key value … — Key (id)=(1) already exists. [statement insert_task]`.
    public var description: String {
        var text = kind.description
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        text += ": " + message
        if let detail, !detail.isEmpty { text += " — " + detail }
        if let hint, !hint.isEmpty { text += " (hint: \(hint))" }
        if let statementName { text += " [statement \(statementName)]" }
        return text
    }

    /// `text` with line breaks and tabs folded into single spaces and trailing blanks removed.
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for ch in text {
            if ch == "\n" || ch == "\r" || ch == "\t" || ch == "\r\n" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace && ch != " " && out.last != " " { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    static func typeMismatch(_ message: String) -> PostgresError {
        PostgresError(kind: .typeMismatch, message: message)
    }

    static func closed() -> PostgresError {
        PostgresError(kind: .connectionLost, message: "the connection is closed")
    }
}
