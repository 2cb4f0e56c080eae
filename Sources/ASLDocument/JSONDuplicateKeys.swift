// Finds a member name written twice in one JSON object. BatonJSON's parser keeps the last value, as most
// JSON parsers do, but in a definition a repeated key is a mistake (a copied state left with its old name,
// a field set twice) that silently drops half of it; YAML loading already rejects it. Runs on text that
// has already parsed as JSON, so it only tracks nesting, member names and positions.

import ASLExpressions
import BatonJSON

enum JSONDuplicateKeys {
    struct Duplicate {
        var key: String
        var pointer: String
        var line: Int
        var column: Int
    }

    private struct Frame {
        var isObject: Bool
        var pointer: String
        var keys: Set<String> = []
        var expectingKey: Bool
        var currentKey = ""
        var index = 0

        var childPointer: String { isObject ? JSONPointer.appending(currentKey, to: pointer) : pointer + "/" + String(index) }
    }

    /// The first repeated member name in `text` (well-formed JSON), with the object's pointer and where it is.
    static func first(in text: String) -> Duplicate? {
        let bytes = Array(text.utf8)
        var stack: [Frame] = []
        var line = 1
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x0A:
                line += 1
                lineStart = i + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let pointer = stack.last?.childPointer ?? ""
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), pointer: pointer, expectingKey: byte == UInt8(ascii: "{")))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if stack.last?.isObject == true { stack[stack.count - 1].expectingKey = true } else if !stack.isEmpty { stack[stack.count - 1].index += 1 }
            case UInt8(ascii: ":"):
                if !stack.isEmpty { stack[stack.count - 1].expectingKey = false }
            case UInt8(ascii: "\""):
                let start = i
                var raw: [UInt8] = []
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                        raw.append(bytes[i])
                        i += 1
                    }
                    raw.append(bytes[i])
                    i += 1
                }
                if let top = stack.last, top.isObject, top.expectingKey {
                    let key = decode(raw)
                    if top.keys.contains(key) {
                        return Duplicate(key: key, pointer: top.pointer, line: line, column: start - lineStart + 1)
                    }
                    stack[stack.count - 1].keys.insert(key)
                    stack[stack.count - 1].currentKey = key
                }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The member name a quoted key stands for (its escapes decoded).
    private static func decode(_ raw: [UInt8]) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        let quoted = "\"" + String(decoding: raw, as: UTF8.self) + "\""
        if case .string(let s)? = try? JSON(parsing: quoted) { return s }
        return String(decoding: raw, as: UTF8.self)
    }
}
