// A `Codable` encoder that writes compact JSON text straight into bytes. The coordinator stores every
// execution's interpreter state as JSON text on every visit; Foundation's JSONEncoder first builds a tree of
// boxed values and then serializes it, which cost more than the interpreter step itself (docs/benchmarks.md).
//
// How streaming fits Codable, whose containers are never closed: every container remembers the depth (coding
// path length) of the value that opened it, and the writer keeps the open containers as a stack. Before
// anything is written into a container, every container opened deeper than it is closed; when a nested
// value's `encode(to:)` returns, whatever it opened is closed. Synthesized conformances (structs, and enums
// with associated values through `nestedContainer`) always write in that order. Writing into a container
// that was already closed — possible only with hand-written code that keeps a nested container and comes
// back to it later — is reported as an `EncodingError`, never turned into malformed JSON.
//
// The text decodes with `JSONDecoder` and its default strategies exactly as JSONEncoder's would: dates as
// seconds since the reference date (Date's own encoding), Data as Base64, URLs as their absolute string,
// non-finite numbers rejected. Object members come in the order they were encoded.
import Foundation

/// Encodes `Encodable` values as compact JSON text without building an intermediate tree.
public struct JSONTextEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// The JSON text of `value`, as UTF-8 bytes.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = JSONTextWriter()
        try writer.encodeValue(value, depth: 0, codingPath: [])
        writer.close(deeperThan: -1)
        if let failure = writer.failure { throw failure }
        return writer.bytes
    }

    /// The JSON text of `value`.
    public func encodeToString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// The output and the stack of open containers of one `JSONTextEncoder.encode` call.
final class JSONTextWriter {
    struct OpenContainer {
        var depth: Int
        var closing: UInt8
        var members: Int
        var serial: Int
    }

    var bytes: [UInt8] = []
    private var open: [OpenContainer] = []
    private var serials = 0
    /// A misuse found where the container API cannot throw (a nested container of a closed container).
    var failure: EncodingError?

    init() { bytes.reserveCapacity(512) }

    /// Writes the closing brackets of every container opened deeper than `depth`.
    func close(deeperThan depth: Int) {
        while let last = open.last, last.depth > depth {
            bytes.append(last.closing)
            open.removeLast()
        }
    }

    /// Opens a container for the value at `depth` (its opening bracket is written here) and returns its serial.
    func openContainer(depth: Int, opening: UInt8, closing: UInt8) -> Int {
        serials += 1
        bytes.append(opening)
        open.append(OpenContainer(depth: depth, closing: closing, members: 0, serial: serials))
        return serials
    }

    /// The serial of the container the value at `depth` already opened, if it is still open (an `encode(to:)`
    /// that asks its encoder for the same container twice gets the same one).
    func reusableContainer(depth: Int) -> Int? {
        guard let last = open.last, last.depth == depth else { return nil }
        return last.serial
    }

    /// Makes container `serial` (of the value at `depth`) ready for its next member: closes what was opened
    /// under it and writes the separating comma. Fails when the container was closed already.
    func beginMember(of serial: Int, depth: Int, codingPath: [any CodingKey]) throws {
        close(deeperThan: depth)
        guard let last = open.last, last.serial == serial else {
            throw EncodingError.invalidValue(serial, EncodingError.Context(
                codingPath: codingPath,
                debugDescription: "JSONTextEncoder writes as it goes: this container was already closed by a later write into its parent"))
        }
        if last.members > 0 { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].members += 1
    }

    /// `beginMember` for the non-throwing container calls: the failure is kept and thrown at the end.
    func beginMemberOrRecord(of serial: Int, depth: Int, codingPath: [any CodingKey]) {
        do { try beginMember(of: serial, depth: depth, codingPath: codingPath) } catch let error as EncodingError {
            if failure == nil { failure = error }
        } catch {}
    }

    func writeKey(_ key: some CodingKey) {
        writeJSONString(key.stringValue, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    func writeNull() { bytes.append(contentsOf: "null".utf8) }
    func write(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    func write(_ value: String) { writeJSONString(value, to: &bytes) }
    func write<I: BinaryInteger>(_ value: I) { bytes.append(contentsOf: String(value).utf8) }

    func write(_ value: Double, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: codingPath, debugDescription: "\(value) cannot be written as a JSON number"))
        }
        writeNumber(value.description)
    }

    func write(_ value: Float, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: codingPath, debugDescription: "\(value) cannot be written as a JSON number"))
        }
        writeNumber(value.description)
    }

    /// A floating-point number's shortest round-tripping text, without a trailing `.0` as JSONEncoder writes it.
    private func writeNumber(_ text: String) {
        let utf8 = text.utf8
        if utf8.count > 2, text.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes `value`, the value at `depth`, and closes whatever it opened.
    func encodeValue<T: Encodable>(_ value: T, depth: Int, codingPath: [any CodingKey]) throws {
        // Metatype comparisons, not `as?` casts: a dynamic cast looks up conformances (bridging) on every call.
        if T.self == Data.self {
            write((value as! Data).base64EncodedString())
        } else if T.self == URL.self {
            write((value as! URL).absoluteString)
        } else {
            let start = bytes.count
            try value.encode(to: JSONTextValueEncoder(writer: self, depth: depth, codingPath: codingPath))
            close(deeperThan: depth - 1)
            // A value that asked for no container at all: JSONEncoder writes an empty object.
            if bytes.count == start { bytes.append(contentsOf: "{}".utf8) }
        }
    }
}

/// The `Encoder` handed to one value's `encode(to:)`.
struct JSONTextValueEncoder: Encoder {
    let writer: JSONTextWriter
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let serial = writer.reusableContainer(depth: depth)
            ?? writer.openContainer(depth: depth, opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        return KeyedEncodingContainer(JSONTextKeyedContainer<Key>(
            writer: writer, depth: depth, serial: serial, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let serial = writer.reusableContainer(depth: depth)
            ?? writer.openContainer(depth: depth, opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"))
        return JSONTextUnkeyedContainer(writer: writer, depth: depth, serial: serial, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONTextSingleValueContainer(writer: writer, depth: depth, codingPath: codingPath)
    }
}
