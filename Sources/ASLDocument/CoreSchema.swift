// The YAML 1.2 core schema's resolution of plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution):
// null, booleans, integers in decimal, `0o` octal and `0x` hex, and floats including `.inf` and `.nan`.
// JSON has no infinities or NaN, so those are errors rather than silently becoming something else.
import BatonJSON

enum CoreSchema {
    struct NonFiniteNumber: Error {}

    /// The typed value of a plain scalar, or `nil` when the core schema reads it as a string.
    static func resolvePlain(_ text: String) throws(NonFiniteNumber) -> JSON? {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            throw NonFiniteNumber()
        default: break
        }
        let utf8 = Array(text.utf8)
        if let integer = integer(utf8) { return integer }
        if isFloat(utf8), let value = Double(text), value.isFinite { return .number(.double(value)) }
        return nil
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func integer(_ b: [UInt8]) -> JSON? {
        guard !b.isEmpty else { return nil }
        if b.count > 2, b[0] == UInt8(ascii: "0") {
            let body = String(decoding: b[2...], as: UTF8.self)
            if b[1] == UInt8(ascii: "o"), let v = Int64(body, radix: 8) { return .number(.int(v)) }
            if b[1] == UInt8(ascii: "x"), let v = Int64(body, radix: 16) { return .number(.int(v)) }
        }
        var digits = b[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        let text = String(decoding: b.first == UInt8(ascii: "+") ? Array(b.dropFirst()) : b, as: UTF8.self)
        if let v = Int64(text) { return .number(.int(v)) }
        return Double(text).map { .number(.double($0)) }
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < b.count, isDigit(b[i]) { i += 1; mantissaDigits += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            var exponentDigits = 0
            while i < b.count, isDigit(b[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == b.count
    }
}
