// The tokenizer. It runs on demand from the parser, which tells it whether a `/` may start a regular
// expression (prefix position) or is the division operator (infix position), as JSONata's does.

/// A token of a JSONata expression.
struct Token {
    enum Kind { case op, name, variable, string, number, value, regex, end }
    var kind: Kind
    /// The operator, name, variable name or string value.
    var text: String
    var number: Double = 0
    /// For `true`, `false`, `null`.
    var literal: JValue? = nil
    var regexFlags: String = ""
    /// The offset just past the token (JSONata reports positions this way).
    var position: Int
    /// The offset of the token's first character.
    var start: Int
}

private let singleOps: Set<Unicode.Scalar> = [".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&"]
private let nameStoppers: Set<Unicode.Scalar> = singleOps.union([" ", "\t", "\n", "\r", "\u{0B}", "!", "~"])

struct Lexer {
    let src: [Unicode.Scalar]
    var pos = 0

    init(_ text: String) { src = Array(text.unicodeScalars) }

    private func at(_ i: Int) -> Unicode.Scalar? { i < src.count ? src[i] : nil }

    mutating func next(prefix: Bool) throws(JSONataError) -> Token {
        // whitespace and comments
        while pos < src.count {
            let c = src[pos]
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" { pos += 1; continue }
            if c == "/" && at(pos + 1) == "*" {
                let commentStart = pos
                pos += 2
                var closed = false
                while pos < src.count {
                    if src[pos] == "*" && at(pos + 1) == "/" { pos += 2; closed = true; break }
                    pos += 1
                }
                if !closed { throw JSONataError(code: "S0106", position: commentStart) }
                continue
            }
            break
        }
        let start = pos
        guard pos < src.count else { return Token(kind: .end, text: "(end)", position: pos, start: pos) }
        let c = src[pos]
        if prefix && c == "/" {
            pos += 1
            return try scanRegex(start: start)
        }
        func op(_ s: String, _ n: Int) -> Token {
            pos += n
            return Token(kind: .op, text: s, position: pos, start: start)
        }
        let c2 = at(pos + 1)
        if c == "." && c2 == "." { return op("..", 2) }
        if c == ":" && c2 == "=" { return op(":=", 2) }
        if c == "!" && c2 == "=" { return op("!=", 2) }
        if c == ">" && c2 == "=" { return op(">=", 2) }
        if c == "<" && c2 == "=" { return op("<=", 2) }
        if c == "*" && c2 == "*" { return op("**", 2) }
        if c == "~" && c2 == ">" { return op("~>", 2) }
        if singleOps.contains(c) || c == "!" || c == "~" { return op(String(Character(c)), 1) }
        if c == "\"" || c == "'" { return try scanString(quote: c, start: start) }
        if c.properties.numericType != nil, ("0"..."9").contains(c) { return try scanNumber(start: start) }
        if c == "`" {
            pos += 1
            var name = ""
            while pos < src.count && src[pos] != "`" { name.unicodeScalars.append(src[pos]); pos += 1 }
            if pos >= src.count { throw JSONataError(code: "S0105", position: pos) }
            pos += 1
            return Token(kind: .name, text: name, position: pos, start: start)
        }
        // names and variables
        var i = pos
        let isVariable = c == "$"
        if isVariable { i += 1 }
        while i < src.count && !nameStoppers.contains(src[i]) { i += 1 }
        var name = ""
        name.unicodeScalars.append(contentsOf: src[(isVariable ? pos + 1 : pos)..<i])
        pos = i
        if isVariable { return Token(kind: .variable, text: name, position: pos, start: start) }
        if name.isEmpty {
            pos += 1
            throw JSONataError(code: "S0204", position: start, token: String(Character(c)))
        }
        switch name {
        case "and", "or", "in": return Token(kind: .op, text: name, position: pos, start: start)
        case "true": return Token(kind: .value, text: name, literal: .bool(true), position: pos, start: start)
        case "false": return Token(kind: .value, text: name, literal: .bool(false), position: pos, start: start)
        case "null": return Token(kind: .value, text: name, literal: .null, position: pos, start: start)
        default: return Token(kind: .name, text: name, position: pos, start: start)
        }
    }

    private mutating func scanRegex(start: Int) throws(JSONataError) -> Token {
        let patternStart = pos
        var depth = 0
        var pattern = ""
        while pos < src.count {
            let c = src[pos]
            if c == "/" && depth == 0 {
                // count preceding backslashes
                var backslashes = 0
                var j = pos - 1
                while j >= patternStart && src[j] == "\\" { backslashes += 1; j -= 1 }
                if backslashes % 2 == 0 {
                    if pattern.isEmpty { throw JSONataError(code: "S0301", position: pos) }
                    pos += 1
                    var flags = ""
                    while pos < src.count, src[pos] == "i" || src[pos] == "m" {
                        flags.unicodeScalars.append(src[pos]); pos += 1
                    }
                    return Token(kind: .regex, text: pattern, regexFlags: flags, position: pos, start: start)
                }
            }
            if (c == "(" || c == "[" || c == "{") && (pos == patternStart || src[pos - 1] != "\\") { depth += 1 }
            if (c == ")" || c == "]" || c == "}") && (pos == patternStart || src[pos - 1] != "\\") { depth -= 1 }
            pattern.unicodeScalars.append(c)
            pos += 1
        }
        throw JSONataError(code: "S0302", position: pos)
    }

    private mutating func scanString(quote: Unicode.Scalar, start: Int) throws(JSONataError) -> Token {
        pos += 1
        var value = String.UnicodeScalarView()
        while pos < src.count {
            var c = src[pos]
            if c == "\\" {
                pos += 1
                guard pos < src.count else { break }
                c = src[pos]
                switch c {
                case "\"", "\\", "/", "'": value.append(c)
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "u":
                    guard let code = hex4(at: pos + 1) else { throw JSONataError(code: "S0104", position: pos) }
                    pos += 4
                    if (0xD800..<0xDC00).contains(code), at(pos + 1) == "\\", at(pos + 2) == "u",
                       let low = hex4(at: pos + 3), (0xDC00..<0xE000).contains(low) {
                        let scalar = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        value.append(Unicode.Scalar(scalar)!)
                        pos += 6
                    } else if let s = Unicode.Scalar(code) {
                        value.append(s)
                    } else {
                        value.append(Unicode.Scalar(loneSurrogateBase + (code - 0xD800))!)
                    }
                default:
                    throw JSONataError(code: "S0103", position: pos, token: String(Character(c)))
                }
                pos += 1
                continue
            }
            if c == quote {
                pos += 1
                return Token(kind: .string, text: String(value), position: pos, start: start)
            }
            value.append(c)
            pos += 1
        }
        throw JSONataError(code: "S0101", position: pos)
    }

    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= src.count else { return nil }
        var v: UInt32 = 0
        for j in i..<(i + 4) {
            guard let d = src[j].properties.numericType != nil ? UInt32(String(src[j]), radix: 16) : UInt32(String(src[j]), radix: 16) else { return nil }
            v = v * 16 + d
        }
        return v
    }

    private mutating func scanNumber(start: Int) throws(JSONataError) -> Token {
        var i = pos
        func digit(_ j: Int) -> Bool { j < src.count && ("0"..."9").contains(src[j]) }
        if src[i] == "0" { i += 1 } else { while digit(i) { i += 1 } }
        if i < src.count && src[i] == "." && digit(i + 1) {
            i += 1
            while digit(i) { i += 1 }
        }
        if i < src.count && (src[i] == "e" || src[i] == "E") {
            var j = i + 1
            if j < src.count && (src[j] == "+" || src[j] == "-") { j += 1 }
            if digit(j) {
                while digit(j) { j += 1 }
                i = j
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: src[pos..<i])
        pos = i
        guard let value = Double(text), value.isFinite else {
            throw JSONataError(code: "S0102", position: pos, token: text)
        }
        return Token(kind: .number, text: text, number: value, position: pos, start: start)
    }
}
