// Parses intrinsic function calls: `States.Name(arg, …)` where an argument is a string literal in
// single quotes (escapes `\'`, `\{`, `\}`, `\\`), a number, `true`, `false`, `null`, a path
// (`$…`, `$$…`, `$name…`) or another call, nested at most 10 deep as AWS allows.

import BatonJSON

struct IntrinsicParser {
    static let maximumNesting = 10

    let text: String
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
    }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func fail(_ message: String) -> PathSyntaxError {
        PathSyntaxError("\(message) at position \(position + 1)")
    }

    mutating func skipBlanks() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    mutating func parseWhole() throws(PathSyntaxError) -> IntrinsicCall {
        skipBlanks()
        let call = try parseCall(depth: 1)
        skipBlanks()
        guard current == nil else { throw fail("unexpected text after the closing ')'") }
        return call
    }

    mutating func parseCall(depth: Int) throws(PathSyntaxError) -> IntrinsicCall {
        guard depth <= Self.maximumNesting else {
            throw fail("intrinsic functions can be nested at most \(Self.maximumNesting) deep")
        }
        let start = position
        while let c = current, c == "." || c.properties.isAlphabetic || ("0"..."9").contains(c) { position += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<position]))
        guard let function = IntrinsicFunction(rawValue: name) else {
            position = start
            if name.isEmpty { throw fail("expected an intrinsic function name such as States.Format") }
            throw fail("unknown intrinsic function '\(name)'")
        }
        skipBlanks()
        guard current == "(" else { throw fail("expected '(' after \(name)") }
        position += 1
        var arguments: [IntrinsicArgument] = []
        skipBlanks()
        if current == ")" {
            position += 1
        } else {
            while true {
                skipBlanks()
                arguments.append(try parseArgument(depth: depth))
                skipBlanks()
                if current == "," {
                    position += 1
                    continue
                }
                if current == ")" {
                    position += 1
                    break
                }
                throw fail(current == nil ? "missing ')' at the end of \(name)(…)" : "expected ',' or ')' in the arguments of \(name)")
            }
        }
        let callText = String(String.UnicodeScalarView(scalars[start..<position]))
        try checkArguments(function, arguments)
        return try IntrinsicCall(text: callText, function: function, arguments: arguments)
    }

    func checkArguments(_ function: IntrinsicFunction, _ arguments: [IntrinsicArgument]) throws(PathSyntaxError) {
        let (minimum, maximum) = function.arity
        if arguments.count < minimum || arguments.count > (maximum ?? Int.max) {
            let expected: String
            if let maximum, maximum == minimum {
                expected = "\(minimum) argument\(minimum == 1 ? "" : "s")"
            } else if let maximum {
                expected = "\(minimum) to \(maximum) arguments"
            } else {
                expected = "at least \(minimum) argument\(minimum == 1 ? "" : "s")"
            }
            throw PathSyntaxError("\(function.rawValue) takes \(expected), but \(arguments.count) \(arguments.count == 1 ? "was" : "were") given")
        }
        for (index, argument) in arguments.enumerated() {
            let value: JSON
            switch argument {
            case .literal(let v): value = v
            case .string(let s, _): value = .string(s)
            case .path, .call: continue
            }
            let kind = function.expectedKind(at: index)
            guard kind.accepts(value) else {
                throw PathSyntaxError("the \(ordinal(index)) argument of \(function.rawValue) must be a\(kind == .any || kind == .array || kind == .object ? "n" : "") \(kind.rawValue), not the \(value.typeName) \(value.serialized())")
            }
            if function == .hash, index == 1, case .string(let algorithm) = value, HashAlgorithm(rawValue: algorithm) == nil {
                throw PathSyntaxError("States.Hash does not support the algorithm '\(algorithm)'; use one of \(HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if function == .jsonMerge, index == 2, value == .bool(true) {
                throw PathSyntaxError("States.JsonMerge supports only a shallow merge: its third argument must be false")
            }
        }
    }

    mutating func parseArgument(depth: Int) throws(PathSyntaxError) -> IntrinsicArgument {
        guard let c = current else { throw fail("expected an argument") }
        switch c {
        case "'":
            return try parseString()
        case "$":
            return .path(try parsePathArgument())
        case "-", "0"..."9":
            return .literal(try parseNumber())
        default:
            for (word, value) in [("true", JSON.bool(true)), ("false", .bool(false)), ("null", .null)] where lookingAtWord(word) {
                position += word.count
                return .literal(value)
            }
            if lookingAtWord("States.", wholeWord: false) {
                return .call(try parseCall(depth: depth + 1))
            }
            throw fail("unexpected character '\(c)': an argument is a 'string', a number, true, false, null, a path or an intrinsic function")
        }
    }

    func lookingAtWord(_ word: String, wholeWord: Bool = true) -> Bool {
        var i = position
        for c in word.unicodeScalars {
            guard i < scalars.count, scalars[i] == c else { return false }
            i += 1
        }
        if wholeWord, i < scalars.count, scalars[i].properties.isAlphabetic || ("0"..."9").contains(scalars[i]) { return false }
        return true
    }

    mutating func parseString() throws(PathSyntaxError) -> IntrinsicArgument {
        let open = position
        position += 1
        let rawStart = position
        var value = String.UnicodeScalarView()
        while let c = current {
            if c == "\\" {
                position += 1
                guard let next = current else { break }
                switch next {
                case "'", "{", "}", "\\": value.append(next)
                default:
                    value.append(c)
                    value.append(next)
                }
                position += 1
                continue
            }
            if c == "'" {
                let raw = String(String.UnicodeScalarView(scalars[rawStart..<position]))
                position += 1
                return .string(String(value), raw: raw)
            }
            value.append(c)
            position += 1
        }
        position = open
        throw fail("unterminated string literal")
    }

    /// A path argument runs to the next `,` or `)` outside brackets, parentheses and quotes.
    mutating func parsePathArgument() throws(PathSyntaxError) -> Path {
        let start = position
        var depth = 0
        var quote: Unicode.Scalar?
        scan: while let c = current {
            if let q = quote {
                if c == "\\" { position += 1 } else if c == q { quote = nil }
                position += 1
                continue
            }
            switch c {
            case "'", "\"": quote = c
            case "[", "(": depth += 1
            case "]": depth -= 1
            case ")":
                if depth == 0 { break scan }
                depth -= 1
            case ",":
                if depth == 0 { break scan }
            default: break
            }
            position += 1
        }
        var end = position
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" || scalars[end - 1] == "\n" { end -= 1 }
        let pathText = String(String.UnicodeScalarView(scalars[start..<end]))
        do {
            return try Path(pathText)
        } catch {
            throw PathSyntaxError("invalid path argument '\(pathText)': \(error.message)")
        }
    }

    mutating func parseNumber() throws(PathSyntaxError) -> JSON {
        let start = position
        if current == "-" { position += 1 }
        while let c = current, ("0"..."9").contains(c) || c == "." || c == "e" || c == "E" || c == "+" || (c == "-" && (scalars[position - 1] == "e" || scalars[position - 1] == "E")) {
            position += 1
        }
        let numberText = String(String.UnicodeScalarView(scalars[start..<position]))
        guard let value = try? JSON(parsing: numberText), case .number = value else {
            position = start
            throw fail("invalid number '\(numberText)'")
        }
        return value
    }
}
