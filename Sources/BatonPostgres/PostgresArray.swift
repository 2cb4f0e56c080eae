// One-dimensional arrays sent in PostgreSQL's binary format. A batch statement passes one array per column and
// reads the rows back with `unnest($1::bigint[], $2::text[], …)`, so the server parses nothing: each cell
// arrives as its binary value (an int8 as 8 bytes, a text as its bytes, a timestamptz as microseconds). The
// batches used to travel as one jsonb array of records, which PostgreSQL had to parse as JSON (un-escaping
// every string inside it, sorting every object's keys), then look up each column by name in each record and
// convert it from text: about 9 µs per history row against 5 µs with arrays (see docs/benchmarks.md).
//
// The wire format (array_recv): ndim, has-nulls flag, element type OID, then per dimension its length and
// lower bound (1), then per element its byte length (-1 for NULL) and bytes; every integer big-endian.
import Foundation

/// A one-dimensional array parameter of one element type, built element by element and sent in binary.
public struct PostgresArray: PostgresEncodable, Sendable {
    /// The element types an array can be built of, with the OIDs of the element and of its array type.
    public enum Element: Sendable {
        /// `int8` (`bigint[]`)
        case int8
        /// `int4` (`integer[]`)
        case int4
        /// `text` (`text[]`)
        case text
        /// `timestamptz` (`timestamptz[]`)
        case timestamptz
        /// `uuid` (`uuid[]`)
        case uuid

        var elementType: UInt32 {
            switch self {
            case .int8: 20
            case .int4: 23
            case .text: 25
            case .timestamptz: 1184
            case .uuid: 2950
            }
        }

        var arrayType: PostgresDataType {
            switch self {
            case .int8: PostgresDataType(1016)
            case .int4: PostgresDataType(1007)
            case .text: PostgresDataType(1009)
            case .timestamptz: PostgresDataType(1185)
            case .uuid: PostgresDataType(2951)
            }
        }
    }

    /// The type of every element.
    public let element: Element
    /// How many elements were appended.
    public private(set) var count = 0
    private var hasNulls = false
    private var body: [UInt8] = []

    /// An empty array of `element`s.
    public init(of element: Element) {
        self.element = element
    }

    /// An array of these integers (`bigint[]`).
    public init<S: Sequence>(int8 values: S) where S.Element == Int64 {
        self.init(of: .int8)
        for value in values { append(value) }
    }

    /// Reserves room for about `bytes` bytes of elements.
    public mutating func reserveCapacity(_ bytes: Int) { body.reserveCapacity(bytes) }

    /// Appends a NULL.
    public mutating func appendNull() {
        hasNulls = true
        count += 1
        Self.put(Int32(-1), into: &body)
    }

    /// Appends an `int8` (or NULL), to a `bigint[]`.
    public mutating func append(_ value: Int64?) {
        precondition(element == .int8, "an Int64 appended to a \(element) array")
        guard let value else { return appendNull() }
        count += 1
        Self.put(Int32(8), into: &body)
        Self.put(value, into: &body)
    }

    /// Appends an `int4` (or NULL), to an `integer[]`.
    public mutating func append(_ value: Int32?) {
        precondition(element == .int4, "an Int32 appended to a \(element) array")
        guard let value else { return appendNull() }
        count += 1
        Self.put(Int32(4), into: &body)
        Self.put(value, into: &body)
    }

    /// Appends a text (or NULL), to a `text[]`. PostgreSQL rejects a NUL byte in text (the statement fails).
    public mutating func append(_ value: String?) {
        guard var text = value else { return appendNull() }
        text.withUTF8 { appendText($0) }
    }

    /// Appends a text given as its UTF-8 bytes, to a `text[]`.
    public mutating func appendText(_ bytes: some Collection<UInt8>) {
        precondition(element == .text, "a text appended to a \(element) array")
        count += 1
        Self.put(Int32(bytes.count), into: &body)
        body.append(contentsOf: bytes)
    }

    /// Appends a `timestamptz` (or NULL), to a `timestamptz[]`; kept to the microsecond, PostgreSQL's precision.
    public mutating func append(_ value: Date?) {
        precondition(element == .timestamptz, "a Date appended to a \(element) array")
        guard let value else { return appendNull() }
        count += 1
        Self.put(Int32(8), into: &body)
        Self.put(Self.postgresMicroseconds(value), into: &body)
    }

    /// Appends a `timestamptz` given as whole milliseconds since 1970 (the precision of AWS's timestamps).
    public mutating func appendTimestamp(millisecondsSince1970 milliseconds: Int64) {
        precondition(element == .timestamptz, "a timestamp appended to a \(element) array")
        count += 1
        Self.put(Int32(8), into: &body)
        Self.put((milliseconds - 946_684_800_000) * 1000, into: &body)
    }

    /// Appends a `uuid` (or NULL), to a `uuid[]`.
    public mutating func append(_ value: UUID?) {
        precondition(element == .uuid, "a UUID appended to a \(element) array")
        guard let value else { return appendNull() }
        count += 1
        Self.put(Int32(16), into: &body)
        withUnsafeBytes(of: value.uuid) { body.append(contentsOf: $0) }
    }

    /// Microseconds since 2000-01-01 00:00:00 UTC (PostgreSQL's epoch), rounded down.
    static func postgresMicroseconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970 - 946_684_800
        return Int64((seconds * 1_000_000).rounded(.down))
    }

    public var postgresParameter: PostgresParameter {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + body.count)
        Self.put(Int32(count == 0 ? 0 : 1), into: &bytes)  // dimensions (an empty array has none)
        Self.put(Int32(hasNulls ? 1 : 0), into: &bytes)
        Self.put(element.elementType, into: &bytes)
        if count > 0 {
            Self.put(Int32(count), into: &bytes)
            Self.put(Int32(1), into: &bytes)  // lower bound
        }
        bytes.append(contentsOf: body)
        return PostgresParameter(dataType: element.arrayType, format: .binary, bytes: bytes)
    }

    private static func put<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
