// The three Codable containers of JSONTextEncoder. Each writes into the shared JSONTextWriter at once; a
// container is the value at `depth` (its members are at `depth + 1`) and `serial` tells it apart from a
// sibling opened later at the same depth.
import Foundation

struct JSONTextKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONTextWriter
    let depth: Int
    let serial: Int
    let codingPath: [any CodingKey]

    private func begin(_ key: Key) throws {
        try writer.beginMember(of: serial, depth: depth, codingPath: codingPath)
        writer.writeKey(key)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try begin(key); try writer.write(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try begin(key); try writer.write(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); writer.write(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); writer.write(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try writer.encodeValue(value, depth: depth + 1, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        writer.writeKey(key)
        let nested = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        return KeyedEncodingContainer(JSONTextKeyedContainer<NestedKey>(
            writer: writer, depth: depth + 1, serial: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        writer.writeKey(key)
        let nested = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"))
        return JSONTextUnkeyedContainer(writer: writer, depth: depth + 1, serial: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONTextKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    /// An encoder for the member `key`, opened as an object at once (a super encoder has no return to close
    /// it at; it is closed with the next write into this container, like a nested container).
    private func superEncoder(named key: some CodingKey) -> any Encoder {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        writer.writeKey(key)
        _ = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        return JSONTextValueEncoder(writer: writer, depth: depth + 1, codingPath: codingPath + [key])
    }
}

struct JSONTextUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONTextWriter
    let depth: Int
    let serial: Int
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(writer: JSONTextWriter, depth: Int, serial: Int, codingPath: [any CodingKey]) {
        self.writer = writer
        self.depth = depth
        self.serial = serial
        self.codingPath = codingPath
    }

    private mutating func begin() throws {
        try writer.beginMember(of: serial, depth: depth, codingPath: codingPath)
        count += 1
    }

    private var elementPath: [any CodingKey] { codingPath + [JSONTextKey(index: count - 1)] }

    mutating func encodeNil() throws { try begin(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: String) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: Double) throws { try begin(); try writer.write(value, codingPath: elementPath) }
    mutating func encode(_ value: Float) throws { try begin(); try writer.write(value, codingPath: elementPath) }
    mutating func encode(_ value: Int) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: Int8) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: Int16) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: Int32) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: Int64) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: UInt) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); writer.write(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); writer.write(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try writer.encodeValue(value, depth: depth + 1, codingPath: elementPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        count += 1
        let nested = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        return KeyedEncodingContainer(JSONTextKeyedContainer<NestedKey>(
            writer: writer, depth: depth + 1, serial: nested, codingPath: elementPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        count += 1
        let nested = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"))
        return JSONTextUnkeyedContainer(writer: writer, depth: depth + 1, serial: nested, codingPath: elementPath)
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginMemberOrRecord(of: serial, depth: depth, codingPath: codingPath)
        count += 1
        _ = writer.openContainer(depth: depth + 1, opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        return JSONTextValueEncoder(writer: writer, depth: depth + 1, codingPath: elementPath)
    }
}

struct JSONTextSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONTextWriter
    let depth: Int
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.write(value) }
    mutating func encode(_ value: String) throws { writer.write(value) }
    mutating func encode(_ value: Double) throws { try writer.write(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try writer.write(value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { writer.write(value) }
    mutating func encode(_ value: Int8) throws { writer.write(value) }
    mutating func encode(_ value: Int16) throws { writer.write(value) }
    mutating func encode(_ value: Int32) throws { writer.write(value) }
    mutating func encode(_ value: Int64) throws { writer.write(value) }
    mutating func encode(_ value: UInt) throws { writer.write(value) }
    mutating func encode(_ value: UInt8) throws { writer.write(value) }
    mutating func encode(_ value: UInt16) throws { writer.write(value) }
    mutating func encode(_ value: UInt32) throws { writer.write(value) }
    mutating func encode(_ value: UInt64) throws { writer.write(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        // The same value, so the same depth: whatever `value` opens belongs to this position.
        try writer.encodeValue(value, depth: depth, codingPath: codingPath)
    }
}

/// A coding key for array positions and the `super` member, in coding paths and errors. A position's text
/// ("Index 3", as Foundation names it) is made only when asked for: every element of an array gets a path.
struct JSONTextKey: CodingKey {
    private let name: String?
    let intValue: Int?

    var stringValue: String { name ?? "Index \(intValue ?? 0)" }

    init(_ string: String) { name = string; intValue = nil }
    init(index: Int) { name = nil; intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
