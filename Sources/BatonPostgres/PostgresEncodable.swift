// Statement parameters. Every value is sent with its PostgreSQL type OID so `SELECT $1` has a known type and
// `$1` in `jsonb_build_object('k', $1)` needs no cast: String → text, Int/Int64 → int8, Int32 → int4,
// Int16 → int2, Bool → bool, Double → float8, Decimal → numeric, UUID → uuid, Date → timestamptz,
// JSON → jsonb. All are sent in text format except bytea ([UInt8], Data), which is sent as raw binary.
// A String compared with a non-text column (uuid, an enum) needs an explicit cast in SQL: `$1::uuid`.
import BatonJSON
import Foundation

/// One encoded statement parameter: its type, wire format and bytes.
public struct PostgresParameter: Sendable, Equatable {
    /// The wire format of a parameter's bytes.
    public enum Format: Int32, Sendable {
        /// PostgreSQL's text representation (UTF-8, no NUL bytes).
        case text = 0
        /// PostgreSQL's binary representation.
        case binary = 1
    }

    /// The parameter's type (`unspecified` lets the server infer it).
    public var dataType: PostgresDataType
    /// The format of `bytes`.
    public var format: Format
    /// The encoded value.
    public var bytes: [UInt8]

    /// A parameter with these contents.
    public init(dataType: PostgresDataType, format: Format = .text, bytes: [UInt8]) {
        self.dataType = dataType
        self.format = format
        self.bytes = bytes
    }

    /// A text-format parameter of type `dataType`.
    public init(text: String, dataType: PostgresDataType) {
        self.init(dataType: dataType, format: .text, bytes: Array(text.utf8))
    }
}

/// A Swift value that can be sent as a statement parameter.
public protocol PostgresEncodable: Sendable {
    /// The value encoded for PostgreSQL.
    var postgresParameter: PostgresParameter { get }
}

extension String: PostgresEncodable {
    /// Sent as `text`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: self, dataType: .text) }
}

extension Substring: PostgresEncodable {
    /// Sent as `text`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: String(self), dataType: .text) }
}

extension Int: PostgresEncodable {
    /// Sent as `int8`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: String(self), dataType: .int8) }
}

extension Int64: PostgresEncodable {
    /// Sent as `int8`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: String(self), dataType: .int8) }
}

extension Int32: PostgresEncodable {
    /// Sent as `int4`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: String(self), dataType: .int4) }
}

extension Int16: PostgresEncodable {
    /// Sent as `int2`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: String(self), dataType: .int2) }
}

extension Bool: PostgresEncodable {
    /// Sent as `bool`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: self ? "t" : "f", dataType: .bool) }
}

extension Double: PostgresEncodable {
    /// Sent as `float8`; the text is Swift's shortest round-tripping form, so the value survives exactly.
    public var postgresParameter: PostgresParameter {
        let text: String
        if isNaN {
            text = "NaN"
        } else if isInfinite {
            text = self < 0 ? "-Infinity" : "Infinity"
        } else {
            text = String(self)
        }
        return PostgresParameter(text: text, dataType: .float8)
    }
}

extension Decimal: PostgresEncodable {
    /// Sent as `numeric`.
    public var postgresParameter: PostgresParameter {
        PostgresParameter(text: isNaN ? "NaN" : description, dataType: .numeric)
    }
}

extension UUID: PostgresEncodable {
    /// Sent as `uuid`.
    public var postgresParameter: PostgresParameter { PostgresParameter(text: uuidString, dataType: .uuid) }
}

extension Date: PostgresEncodable {
    /// Sent as `timestamptz` in UTC, rounded to the microsecond (PostgreSQL's resolution).
    public var postgresParameter: PostgresParameter {
        PostgresParameter(text: PostgresTimestamp.format(self), dataType: .timestamptz)
    }
}

extension JSON: PostgresEncodable {
    /// Sent as `jsonb` (compact JSON text).
    public var postgresParameter: PostgresParameter {
        PostgresParameter(dataType: .jsonb, format: .text, bytes: serializedBytes())
    }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// Sent as `bytea`, in binary.
    public var postgresParameter: PostgresParameter { PostgresParameter(dataType: .bytea, format: .binary, bytes: self) }
}

extension Data: PostgresEncodable {
    /// Sent as `bytea`, in binary.
    public var postgresParameter: PostgresParameter {
        PostgresParameter(dataType: .bytea, format: .binary, bytes: [UInt8](self))
    }
}

extension PostgresParameter: PostgresEncodable {
    /// Itself: lets callers pass a pre-encoded parameter (e.g. a String typed as `varchar` or an enum's OID).
    public var postgresParameter: PostgresParameter { self }
}
