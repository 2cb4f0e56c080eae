// States.StringToJson, States.JsonToString and States.JsonMerge. JsonToString writes compact JSON
// with keys in their original order, as AWS (Jackson) does: fractional numbers as Java prints
// doubles (`1.5`, `1.0`, `1.0E10`), no escaping of `/` or non-ASCII text, other control
// characters as `\u001F` with uppercase hex digits.

import BatonJSON

extension IntrinsicCall {
    func stringToJson(_ values: [JSON]) throws(ASLError) -> JSON {
        let text = values[0].stringValue!
        // AWS gives null for an empty or blank string.
        if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) { return .null }
        do {
            return try JSON(parsing: text)
        } catch {
            throw intrinsicFailure(.stringToJson, "the argument is not valid JSON (\(error.message)): \(JSON.string(text).serialized())")
        }
    }

    func jsonMerge(_ values: [JSON]) throws(ASLError) -> JSON {
        guard values[2] == .bool(false) else {
            throw intrinsicFailure(.jsonMerge, "only a shallow merge is supported: the third argument must be false")
        }
        var merged = values[0].objectValue!
        for (key, value) in values[1].objectValue! { merged[key] = value }
        return .object(merged)
    }
}

/// Compact JSON text as AWS's `States.JsonToString` writes it.
func javaStyleJSON(_ value: JSON) -> String {
    var bytes: [UInt8] = []
    writeJavaStyle(value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private func writeJavaStyle(_ value: JSON, to bytes: inout [UInt8]) {
    switch value {
    case .number(.double(let d)):
        bytes.append(contentsOf: (d.isFinite ? javaDoubleText(d) : "null").utf8)
    case .array(let array):
        bytes.append(UInt8(ascii: "["))
        for (i, element) in array.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            writeJavaStyle(element, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    case .object(let object):
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, element) in object {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeJacksonString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            writeJavaStyle(element, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    case .string(let s):
        writeJacksonString(s, to: &bytes)
    default:
        value.write(to: &bytes)
    }
}

private func writeJacksonString(_ s: String, to bytes: inout [UInt8]) {
    let hex = Array("0123456789ABCDEF".utf8)
    bytes.append(UInt8(ascii: "\""))
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), b]
        case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0..<0x20: bytes += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
        default: bytes.append(b)
        }
    }
    bytes.append(UInt8(ascii: "\""))
}
