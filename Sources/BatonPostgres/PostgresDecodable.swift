// Decoding result cells (PostgreSQL text format) into Swift values. Each type accepts the PostgreSQL types
// that hold its values and rejects the rest with a `typeMismatch` that names the column:
//   String  ← text, varchar, bpchar, name, json, jsonb, uuid, numeric, date/time/interval, enums and any
//             other type without a dedicated decoder — but not bool, integers, floats, bytea or timestamps,
//             whose text would hide a mistake (cast in SQL with `::text` if the text is really wanted)
//   Int, Int64, Int32, Int16 ← int2, int4, int8, oid, and numeric holding a whole number (range-checked;
//             `sum(int8)` is numeric)
//   Bool ← bool;  Double ← float4, float8, numeric, integers;  Decimal ← numeric, integers
//   UUID ← uuid;  JSON ← json, jsonb;  Date ← timestamptz, timestamp (taken as UTC);  [UInt8], Data ← bytea
// numeric decodes to Foundation's Decimal (38 significant digits; `NaN` becomes Decimal.nan), or to String
// for the exact text. A NULL cell decodes only into an Optional; otherwise `unexpectedNull` names the column.
import BatonJSON
import Foundation

/// A Swift type that a result cell can be decoded into.
public protocol PostgresDecodable {
    /// Decodes a non-NULL cell (`cell.bytes` is never nil here).
    static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Self
    /// Decodes a cell that may be NULL. The default throws `unexpectedNull` for NULL; Optional returns nil.
    static func decodePostgresCell(_ cell: PostgresCell) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    /// Throws `unexpectedNull` for a NULL cell, else decodes it.
    public static func decodePostgresCell(_ cell: PostgresCell) throws(PostgresError) -> Self {
        guard cell.bytes != nil else { throw cell.unexpectedNull(Self.self) }
        return try decodePostgres(cell)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped type.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Wrapped? {
        try Wrapped.decodePostgres(cell)
    }

    /// nil for NULL, else the wrapped type's value.
    public static func decodePostgresCell(_ cell: PostgresCell) throws(PostgresError) -> Wrapped? {
        guard cell.bytes != nil else { return nil }
        return try Wrapped.decodePostgres(cell)
    }
}

extension PostgresCell {
    /// The cell's bytes; only called after the NULL check.
    var value: ArraySlice<UInt8> { bytes ?? [] }
    var string: String { String(decoding: value, as: UTF8.self) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws(PostgresError) -> T {
        guard dataType.isInteger || dataType == .numeric else { throw mismatch(T.self) }
        var text = string
        if dataType == .numeric, let point = text.firstIndex(of: ".") {
            // `sum(int8)` and `numeric(p, s)` columns hold whole numbers as numeric: accept `12.00`, not `12.5`.
            guard text[text.index(after: point)...].allSatisfy({ $0 == "0" }) else {
                throw mismatch(T.self, reason: "\(text) is not a whole number")
            }
            text = String(text[..<point])
        }
        guard let wide = Int64(text) else { throw mismatch(T.self, reason: "\"\(string)\" is not an integer") }
        guard let narrow = T(exactly: wide) else { throw mismatch(T.self, reason: "\(wide) does not fit") }
        return narrow
    }
}

extension String: PostgresDecodable {
    static let nonTextTypes: Set<PostgresDataType> = [
        .bool, .int2, .int4, .int8, .oid, .float4, .float8, .bytea, .timestamp, .timestamptz,
    ]

    /// Decodes textual types (see the list at the top of the file).
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> String {
        guard !nonTextTypes.contains(cell.dataType) else {
            throw cell.mismatch(String.self, reason: "cast it with ::text in SQL if the text form is wanted")
        }
        return cell.string
    }
}

extension Int: PostgresDecodable {
    /// Decodes int2, int4, int8, oid and whole numerics.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Int { try cell.integer(Int.self) }
}

extension Int64: PostgresDecodable {
    /// Decodes int2, int4, int8, oid and whole numerics.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Int64 { try cell.integer(Int64.self) }
}

extension Int32: PostgresDecodable {
    /// Decodes int2, int4, int8, oid and whole numerics when the value fits.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Int32 { try cell.integer(Int32.self) }
}

extension Int16: PostgresDecodable {
    /// Decodes int2, int4, int8, oid and whole numerics when the value fits.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Int16 { try cell.integer(Int16.self) }
}

extension Bool: PostgresDecodable {
    /// Decodes bool.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Bool {
        guard cell.dataType == .bool else { throw cell.mismatch(Bool.self) }
        switch cell.value.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw cell.mismatch(Bool.self, reason: "\"\(cell.string)\" is not t or f")
        }
    }
}

extension Double: PostgresDecodable {
    /// Decodes float4, float8, numeric and the integer types.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Double {
        guard [.float4, .float8, .numeric].contains(cell.dataType) || cell.dataType.isInteger else {
            throw cell.mismatch(Double.self)
        }
        guard let value = Double(cell.string) else {
            throw cell.mismatch(Double.self, reason: "\"\(cell.string)\" is not a number")
        }
        return value
    }
}

extension Decimal: PostgresDecodable {
    /// Decodes numeric and the integer types.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Decimal {
        guard cell.dataType == .numeric || cell.dataType.isInteger else { throw cell.mismatch(Decimal.self) }
        let text = cell.string
        if text == "NaN" { return .nan }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw cell.mismatch(Decimal.self, reason: "\"\(text)\" is not a finite decimal")
        }
        return value
    }
}

extension UUID: PostgresDecodable {
    /// Decodes uuid.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> UUID {
        guard cell.dataType == .uuid else { throw cell.mismatch(UUID.self) }
        guard let value = UUID(uuidString: cell.string) else {
            throw cell.mismatch(UUID.self, reason: "\"\(cell.string)\" is not a UUID")
        }
        return value
    }
}

extension Date: PostgresDecodable {
    /// Decodes timestamptz and timestamp (the latter taken as UTC), to the microsecond.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Date {
        guard cell.dataType == .timestamptz || cell.dataType == .timestamp else { throw cell.mismatch(Date.self) }
        guard let value = PostgresTimestamp.parse(cell.value) else {
            throw cell.mismatch(Date.self, reason: "\"\(cell.string)\" is not an ISO timestamp")
        }
        return value
    }
}

extension JSON: PostgresDecodable {
    /// Decodes json and jsonb.
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> JSON {
        guard cell.dataType == .jsonb || cell.dataType == .json else { throw cell.mismatch(JSON.self) }
        do {
            return try JSON(parsing: cell.value)
        } catch {
            throw cell.mismatch(JSON.self, reason: error.description)
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Decodes bytea (hex output format).
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> [UInt8] {
        guard cell.dataType == .bytea else { throw cell.mismatch([UInt8].self) }
        return try decodeHexBytea(cell)
    }
}

extension Data: PostgresDecodable {
    /// Decodes bytea (hex output format).
    public static func decodePostgres(_ cell: PostgresCell) throws(PostgresError) -> Data {
        guard cell.dataType == .bytea else { throw cell.mismatch(Data.self) }
        return Data(try decodeHexBytea(cell))
    }
}

/// Decodes bytea's hex text form, `\x0aff…` (connections set `bytea_output = hex`).
func decodeHexBytea(_ cell: PostgresCell) throws(PostgresError) -> [UInt8] {
    let text = cell.value
    guard text.count >= 2, text.first == UInt8(ascii: "\\"), text[text.startIndex + 1] == UInt8(ascii: "x"),
        text.count % 2 == 0
    else { throw cell.mismatch([UInt8].self, reason: "not in bytea hex format") }
    func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    var result: [UInt8] = []
    result.reserveCapacity((text.count - 2) / 2)
    var index = text.startIndex + 2
    while index < text.endIndex {
        guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else {
            throw cell.mismatch([UInt8].self, reason: "not in bytea hex format")
        }
        result.append(high << 4 | low)
        index += 2
    }
    return result
}
