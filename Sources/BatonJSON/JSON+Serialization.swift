// Writing JSON text. Compact output has no spaces (the form AWS uses for `States.JsonToString` and
// for payloads); pretty output indents by two spaces for people. Non-ASCII text is written as UTF-8,
// not escaped; `/` is not escaped.

/// How to write JSON text.
public struct JSONWritingOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Newlines and two-space indentation, `": "` after member names.
    public static let pretty = JSONWritingOptions(rawValue: 1)
    /// Object members sorted by name instead of kept in insertion order.
    public static let sortedKeys = JSONWritingOptions(rawValue: 2)
}

extension JSON {
    /// The JSON text of this value.
    public func serialized(_ options: JSONWritingOptions = []) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        write(to: &bytes, options: options, indent: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON text of this value as UTF-8 bytes.
    public func serializedBytes(_ options: JSONWritingOptions = []) -> [UInt8] {
        var bytes: [UInt8] = []
        write(to: &bytes, options: options, indent: 0)
        return bytes
    }

    /// Appends the JSON text of this value to `bytes`.
    public func write(to bytes: inout [UInt8], options: JSONWritingOptions = [], indent: Int = 0) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): n.write(to: &bytes)
        case .string(let s): writeJSONString(s, to: &bytes)
        case .array(let a):
            if a.isEmpty { bytes.append(contentsOf: "[]".utf8); return }
            bytes.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                if options.contains(.pretty) { newline(&bytes, indent + 1) }
                element.write(to: &bytes, options: options, indent: indent + 1)
            }
            if options.contains(.pretty) { newline(&bytes, indent) }
            bytes.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { bytes.append(contentsOf: "{}".utf8); return }
            bytes.append(UInt8(ascii: "{"))
            let keys = options.contains(.sortedKeys) ? o.keys.sorted() : Array(o.keys)
            for (i, key) in keys.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                if options.contains(.pretty) { newline(&bytes, indent + 1) }
                writeJSONString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                if options.contains(.pretty) { bytes.append(UInt8(ascii: " ")) }
                o[key]!.write(to: &bytes, options: options, indent: indent + 1)
            }
            if options.contains(.pretty) { newline(&bytes, indent) }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

private func newline(_ bytes: inout [UInt8], _ indent: Int) {
    bytes.append(0x0A)
    for _ in 0..<indent { bytes.append(0x20); bytes.append(0x20) }
}

extension JSONNumber {
    /// The JSON text of this number. Integers are written exactly; non-finite doubles, which JSON
    /// cannot represent, are written as `null`.
    public var jsonText: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func write(to bytes: inout [UInt8]) {
        switch self {
        case .int(let i): bytes.append(contentsOf: String(i).utf8)
        case .double(let d):
            guard d.isFinite else { bytes.append(contentsOf: "null".utf8); return }
            bytes.append(contentsOf: d.description.utf8)
        }
    }
}

/// Appends `s` as a quoted JSON string, escaping quotes, backslashes and control characters. Runs of bytes
/// that need no escape are copied whole (most strings are one such run).
public func writeJSONString(_ s: String, to bytes: inout [UInt8]) {
    var s = s
    s.withUTF8 { utf8 in
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let b = utf8[index]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(b)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(contentsOf: "\\u".utf8)
                bytes.append(contentsOf: hex4(UInt16(b)).lowercased().utf8)
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
