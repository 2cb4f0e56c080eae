// `JSON.stringify` as JSONata uses it for `$string`, `&` and error messages: functions become `""`,
// undefined members are left out, numbers optionally rounded to 15 significant digits.

/// The JSON text of a value (nil for a bare function value with `roundNumbers == false`).
func jsonStringify(_ value: JValue, pretty: Bool, roundNumbers: Bool) -> String? {
    var out = ""
    writeValue(value, into: &out, pretty: pretty, roundNumbers: roundNumbers, indent: 0)
    return out
}

private func writeValue(_ value: JValue, into out: inout String, pretty: Bool, roundNumbers: Bool, indent: Int) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n):
        if !n.isFinite { out += "null"; return }
        out += jsNumberString(roundNumbers ? roundTo15(n) : n)
    case .string(let s): writeQuoted(s, into: &out)
    case .function: out += "\"\""
    case .array(let a):
        if a.items.isEmpty { out += "[]"; return }
        out += "["
        for (i, item) in a.items.enumerated() {
            if i > 0 { out += "," }
            if pretty { out += "\n" + String(repeating: " ", count: (indent + 1) * 2) }
            writeValue(item, into: &out, pretty: pretty, roundNumbers: roundNumbers, indent: indent + 1)
        }
        if pretty { out += "\n" + String(repeating: " ", count: indent * 2) }
        out += "]"
    case .object(let o):
        if o.dict.isEmpty { out += "{}"; return }
        out += "{"
        var first = true
        for (k, v) in o.dict {
            if !first { out += "," }
            first = false
            if pretty { out += "\n" + String(repeating: " ", count: (indent + 1) * 2) }
            writeQuoted(k, into: &out)
            out += pretty ? ": " : ":"
            writeValue(v, into: &out, pretty: pretty, roundNumbers: roundNumbers, indent: indent + 1)
        }
        if pretty { out += "\n" + String(repeating: " ", count: indent * 2) }
        out += "}"
    }
}

private let hexDigits = Array("0123456789abcdef")

func writeQuoted(_ s: String, into out: inout String) {
    out.append("\"")
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        default:
            if u.value < 0x20 {
                out += "\\u00"
                out.append(hexDigits[Int(u.value >> 4)])
                out.append(hexDigits[Int(u.value & 15)])
            } else if let lone = loneSurrogate(u) {
                out += "\\u" + String(lone, radix: 16)
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    out.append("\"")
}

// Swift strings cannot hold a lone UTF-16 surrogate, which a JSONata string literal can (`"\uD800"`).
// The lexer maps one to a private-use scalar in plane 16 (U+10F800 + the low 11 bits);
// `$encodeUrl` and `$string` recognise it.
let loneSurrogateBase: UInt32 = 0x10F800

func loneSurrogate(_ u: Unicode.Scalar) -> UInt32? {
    if u.value >= loneSurrogateBase && u.value < loneSurrogateBase + 0x800 { return 0xD800 + (u.value - loneSurrogateBase) }
    return nil
}
