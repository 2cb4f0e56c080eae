// The rows a statement returned, copied out of libpq's PGresult on the connection thread into one byte
// buffer (every cell's text, back to back) plus a (start, length) pair per cell, so a result costs two
// allocations whatever its size and is an immutable, Sendable value. Cells are decoded on demand.

/// A column of a result: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name (its alias when the query gave one).
    public var name: String
    /// The column's type.
    public var dataType: PostgresDataType
}

/// Immutable storage shared by a result and its rows.
final class PostgresRowStorage: Sendable {
    let columns: [PostgresColumn]
    let columnIndexByName: [String: Int]
    let bytes: [UInt8]
    /// Per cell, row-major: the start in `bytes` and the length, or -1 for NULL.
    let cells: [(start: Int, length: Int)]
    let rowCount: Int

    init(columns: [PostgresColumn], bytes: [UInt8], cells: [(start: Int, length: Int)], rowCount: Int) {
        self.columns = columns
        var byName: [String: Int] = [:]
        for (index, column) in columns.enumerated() where byName[column.name] == nil {
            byName[column.name] = index
        }
        self.columnIndexByName = byName
        self.bytes = bytes
        self.cells = cells
        self.rowCount = rowCount
    }

    static let empty = PostgresRowStorage(columns: [], bytes: [], cells: [], rowCount: 0)
}

/// The rows a statement returned, in order, plus its command tag and affected-row count.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: PostgresRowStorage
    /// The command tag the server sent, e.g. `INSERT 0 1`, `UPDATE 3`, `SELECT 2`.
    public let commandTag: String
    /// The number of rows the statement inserted, updated, deleted, selected or copied (0 when not applicable).
    public let affectedRows: Int

    init(storage: PostgresRowStorage, commandTag: String, affectedRows: Int) {
        self.storage = storage
        self.commandTag = commandTag
        self.affectedRows = affectedRows
    }

    /// The result's columns.
    public var columns: [PostgresColumn] { storage.columns }
    /// Rows are numbered from 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { storage.rowCount }
    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < storage.rowCount, "row index \(position) out of range")
        return PostgresRow(storage: storage, index: position)
    }
}

/// One row of a result. Decode its cells with `decode(_:as:)` by column position or name.
public struct PostgresRow: Sendable {
    let storage: PostgresRowStorage
    /// The row's position in its result.
    public let index: Int

    /// The result's columns.
    public var columns: [PostgresColumn] { storage.columns }

    /// The raw cell at `column`: its text bytes (nil for NULL), type and column name.
    public func cell(_ column: Int) throws(PostgresError) -> PostgresCell {
        guard column >= 0 && column < storage.columns.count else {
            throw PostgresError(
                kind: .other,
                message: "column index \(column) is out of range: the result has \(storage.columns.count) column(s)")
        }
        let (start, length) = storage.cells[index * storage.columns.count + column]
        let info = storage.columns[column]
        let bytes: ArraySlice<UInt8>? = length < 0 ? nil : storage.bytes[start..<(start + length)]
        return PostgresCell(bytes: bytes, dataType: info.dataType, columnName: info.name, columnIndex: column)
    }

    /// The raw cell in the column named `column` (the first one, if several have that name).
    public func cell(_ column: String) throws(PostgresError) -> PostgresCell {
        guard let position = storage.columnIndexByName[column] else {
            let names = storage.columns.map(\.name).joined(separator: ", ")
            throw PostgresError(kind: .other, message: "the result has no column named \"\(column)\" (columns: \(names))")
        }
        return try cell(position)
    }

    /// Decodes the cell at position `column` as `T`. A NULL cell throws `unexpectedNull` unless `T` is an Optional;
    /// a cell of an incompatible type throws `typeMismatch`. Both errors name the column.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        try T.decodePostgresCell(cell(column))
    }

    /// Decodes the cell in the column named `column` as `T` (see `decode(_:as:)` by position).
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        try T.decodePostgresCell(cell(column))
    }

    /// Whether the cell at position `column` is NULL.
    public func isNull(_ column: Int) throws(PostgresError) -> Bool {
        try cell(column).bytes == nil
    }
}

/// One cell of a result in PostgreSQL's text format, as handed to `PostgresDecodable` conformances.
public struct PostgresCell: Sendable {
    /// The value's text bytes (UTF-8), or nil for NULL.
    public var bytes: ArraySlice<UInt8>?
    /// The column's type.
    public var dataType: PostgresDataType
    /// The column's name.
    public var columnName: String
    /// The column's position.
    public var columnIndex: Int

    /// A cell with these contents.
    public init(bytes: ArraySlice<UInt8>?, dataType: PostgresDataType, columnName: String, columnIndex: Int) {
        self.bytes = bytes
        self.dataType = dataType
        self.columnName = columnName
        self.columnIndex = columnIndex
    }

    /// The value as text, or nil for NULL.
    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    /// How the column is named in error messages: `column "id" (#0, int8)`.
    public var columnDescription: String { "column \"\(columnName)\" (#\(columnIndex), \(dataType))" }

    /// A `typeMismatch` error saying this column cannot be decoded as `swiftType`.
    public func mismatch(_ swiftType: Any.Type, reason: String? = nil) -> PostgresError {
        var message = "\(columnDescription) cannot be decoded as \(swiftType)"
        if let reason { message += ": \(reason)" }
        return PostgresError(kind: .typeMismatch, message: message)
    }

    /// An `unexpectedNull` error naming this column and the requested type.
    public func unexpectedNull(_ swiftType: Any.Type) -> PostgresError {
        PostgresError(
            kind: .unexpectedNull,
            message: "\(columnDescription) is NULL but \(swiftType) was required (decode as \(swiftType)? to accept NULL)")
    }
}
