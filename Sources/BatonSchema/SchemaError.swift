import BatonPostgres

/// Why the schema cannot be used or migrated. `description` is one line that says what is wrong and what
/// to do (usually: run `baton migrate`); it never contains a password.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The database has no Baton schema (`baton.schema_migrations` does not exist).
        case notMigrated
        /// The database schema is older than this binary needs.
        case behind
        /// The database schema is newer than this binary knows.
        case ahead
        /// A migration that was already applied differs from the copy in this binary.
        case modifiedMigration
        /// A migration failed while being applied; its transaction was rolled back.
        case migrationFailed
        /// The database could not be read (connection, permissions, …); see `underlying`.
        case database
    }

    /// What went wrong.
    public let kind: Kind
    /// The one-line explanation.
    public let message: String
    /// The schema version found in the database, when it could be read (0 when not migrated).
    public let databaseVersion: Int?
    /// The schema version this binary needs.
    public let expectedVersion: Int
    /// The database error behind `migrationFailed` or `database`.
    public let underlying: PostgresError?

    /// Creates an error.
    public init(
        _ kind: Kind, _ message: String, databaseVersion: Int?, expectedVersion: Int, underlying: PostgresError? = nil
    ) {
        self.kind = kind
        self.message = message
        self.databaseVersion = databaseVersion
        self.expectedVersion = expectedVersion
        self.underlying = underlying
    }

    /// The one-line explanation.
    public var description: String { message }
}
