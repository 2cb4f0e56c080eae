/// A PostgreSQL type, identified by its OID (the `oid` column of `pg_type`).
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The type's OID.
    public var rawValue: UInt32
    /// The type with this OID.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The type with this OID.
    public init(_ oid: UInt32) { self.rawValue = oid }

    /// No type given: the server infers the parameter's type from the statement.
    public static let unspecified = PostgresDataType(0)
    /// `bool`
    public static let bool = PostgresDataType(16)
    /// `bytea`
    public static let bytea = PostgresDataType(17)
    /// `"char"` (the one-byte internal type)
    public static let char = PostgresDataType(18)
    /// `name`
    public static let name = PostgresDataType(19)
    /// `int8` (`bigint`)
    public static let int8 = PostgresDataType(20)
    /// `int2` (`smallint`)
    public static let int2 = PostgresDataType(21)
    /// `int4` (`integer`)
    public static let int4 = PostgresDataType(23)
    /// `text`
    public static let text = PostgresDataType(25)
    /// `oid`
    public static let oid = PostgresDataType(26)
    /// `json`
    public static let json = PostgresDataType(114)
    /// `float4` (`real`)
    public static let float4 = PostgresDataType(700)
    /// `float8` (`double precision`)
    public static let float8 = PostgresDataType(701)
    /// `unknown` (an untyped literal)
    public static let unknown = PostgresDataType(705)
    /// `bpchar` (`character(n)`)
    public static let bpchar = PostgresDataType(1042)
    /// `varchar` (`character varying`)
    public static let varchar = PostgresDataType(1043)
    /// `date`
    public static let date = PostgresDataType(1082)
    /// `timestamp` (without time zone)
    public static let timestamp = PostgresDataType(1114)
    /// `timestamptz` (`timestamp with time zone`)
    public static let timestamptz = PostgresDataType(1184)
    /// `interval`
    public static let interval = PostgresDataType(1186)
    /// `numeric`
    public static let numeric = PostgresDataType(1700)
    /// `uuid`
    public static let uuid = PostgresDataType(2950)
    /// `jsonb`
    public static let jsonb = PostgresDataType(3802)

    /// The SQL name of a built-in type, or `type <oid>` for others.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .bool: "bool"
        case .bytea: "bytea"
        case .char: "\"char\""
        case .name: "name"
        case .int8: "int8"
        case .int2: "int2"
        case .int4: "int4"
        case .text: "text"
        case .oid: "oid"
        case .json: "json"
        case .float4: "float4"
        case .float8: "float8"
        case .unknown: "unknown"
        case .bpchar: "bpchar"
        case .varchar: "varchar"
        case .date: "date"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .interval: "interval"
        case .numeric: "numeric"
        case .uuid: "uuid"
        case .jsonb: "jsonb"
        default: "type \(rawValue)"
        }
    }

    /// Whether the type is one of the integer types (`int2`, `int4`, `int8`, `oid`).
    var isInteger: Bool { self == .int2 || self == .int4 || self == .int8 || self == .oid }
}
