// Parses filter expressions, `[?(…)]`, with Jayway's grammar: `||`, `&&`, `!`, parentheses,
// comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /regex/i`, `in`, `nin`, `subsetof`, `anyof`,
// `noneof`, `size`, `empty`, `contains`) between paths (`@…`, `$…`) and values (numbers, 'strings',
// "strings", true, false, null, lists such as ['a', 1], JSON objects).

import BatonJSON

/// Parses a filter predicate with a path parser positioned just after `[?(`.
struct FilterParser {
    /// How deeply parentheses and `!` may nest in one filter.
    static let maximumNesting = 64

    var parser: PathParser
    var depth = 0

    mutating func parseExpression() throws(PathSyntaxError) -> FilterExpression {
        var left = try parseAnd()
        while true {
            parser.skipBlanks()
            guard parser.current == "|", parser.peek() == "|" else { return left }
            parser.position += 2
            left = .or(left, try parseAnd())
        }
    }

    mutating func parseAnd() throws(PathSyntaxError) -> FilterExpression {
        var left = try parseUnary()
        while true {
            parser.skipBlanks()
            guard parser.current == "&", parser.peek() == "&" else { return left }
            parser.position += 2
            left = .and(left, try parseUnary())
        }
    }

    mutating func parseUnary() throws(PathSyntaxError) -> FilterExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumNesting else { throw parser.fail("a filter expression nests too deeply") }
        parser.skipBlanks()
        if parser.current == "!", parser.peek() != "=" {
            parser.position += 1
            return .not(try parseUnary())
        }
        if parser.current == "(" {
            parser.position += 1
            let inner = try parseExpression()
            try parser.expect(")", "to close '('")
            return inner
        }
        let left = try parseOperand()
        parser.skipBlanks()
        guard let op = parseOperator() else {
            guard case .path = left else { throw parser.fail("a value on its own is not a filter condition") }
            return .exists(left)
        }
        let right = try parseOperand()
        if op == .matches, case .regex = right {} else if op == .matches {
            throw parser.fail("'=~' needs a regular expression such as /abc/ on its right")
        }
        return .compare(left, op, right)
    }

    mutating func parseOperator() -> FilterOperator? {
        let symbols: [FilterOperator] = [.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .matches, .less, .greater]
        for op in symbols where lookingAt(op.rawValue) {
            parser.position += op.rawValue.unicodeScalars.count
            return op
        }
        let words: [FilterOperator] = [.notIn, .in, .subsetOf, .anyOf, .noneOf, .size, .empty, .contains]
        for op in words where lookingAt(op.rawValue) {
            let after = parser.peek(op.rawValue.unicodeScalars.count)
            if let after, parser.isNameCharacter(after) { continue }
            parser.position += op.rawValue.unicodeScalars.count
            return op
        }
        return nil
    }

    func lookingAt(_ text: String) -> Bool {
        var i = parser.position
        for c in text.unicodeScalars {
            guard i < parser.scalars.count, parser.scalars[i] == c else { return false }
            i += 1
        }
        return true
    }

    mutating func parseOperand() throws(PathSyntaxError) -> FilterOperand {
        parser.skipBlanks()
        guard let c = parser.current else { throw parser.fail("unexpected end of the filter expression") }
        switch c {
        case "@", "$":
            var sub = parser
            sub.embedded = true
            let root = try sub.parseRoot()
            var segments: [PathSegment] = []
            while let next = sub.current, next == "." || next == "[" {
                segments.append(try sub.parseSegment())
            }
            parser.position = sub.position
            return .path(root, segments)
        case "'", "\"":
            return .value(.string(try parseStringLiteral(c)))
        case "/":
            return try parseRegex()
        case "[":
            return .value(try parseListLiteral())
        case "{":
            return .value(try parseJSONLiteral())
        case "-", "0"..."9":
            return .value(try parseNumber())
        default:
            for (word, value) in [("true", JSON.bool(true)), ("false", .bool(false)), ("null", .null)] where lookingAt(word) {
                parser.position += word.count
                return .value(value)
            }
            throw parser.fail("unexpected character '\(c)' in a filter expression")
        }
    }

    mutating func parseStringLiteral(_ quote: Unicode.Scalar) throws(PathSyntaxError) -> String {
        parser.position += 1
        var text = String.UnicodeScalarView()
        while let c = parser.current {
            parser.position += 1
            if c == "\\", let next = parser.current {
                parser.position += 1
                text.append(next)
            } else if c == quote {
                return String(text)
            } else {
                text.append(c)
            }
        }
        throw parser.fail("unterminated string in a filter expression")
    }

    mutating func parseRegex() throws(PathSyntaxError) -> FilterOperand {
        parser.position += 1
        var pattern = String.UnicodeScalarView()
        while let c = parser.current {
            parser.position += 1
            if c == "\\", let next = parser.current, next == "/" {
                parser.position += 1
                pattern.append(next)
            } else if c == "\\", let next = parser.current {
                parser.position += 1
                pattern.append(c)
                pattern.append(next)
            } else if c == "/" {
                var caseInsensitive = false
                while let flag = parser.current, parser.isNameCharacter(flag) {
                    if flag == "i" { caseInsensitive = true }
                    parser.position += 1
                }
                let text = String(pattern)
                guard let regex = FilterRegex(pattern: text, caseInsensitive: caseInsensitive) else {
                    throw parser.fail("invalid regular expression /\(text)/")
                }
                return .regex(regex)
            } else {
                pattern.append(c)
            }
        }
        throw parser.fail("unterminated regular expression")
    }

    /// `[v, …]` with values as in filters (Jayway also takes single-quoted strings here).
    mutating func parseListLiteral() throws(PathSyntaxError) -> JSON {
        parser.position += 1
        var elements: [JSON] = []
        parser.skipBlanks()
        if parser.current == "]" {
            parser.position += 1
            return .array(elements)
        }
        while true {
            guard case .value(let v) = try parseOperand() else { throw parser.fail("a list may only hold values") }
            elements.append(v)
            parser.skipBlanks()
            if parser.current == "," {
                parser.position += 1
                continue
            }
            try parser.expect("]", "to close the list")
            return .array(elements)
        }
    }

    mutating func parseJSONLiteral() throws(PathSyntaxError) -> JSON {
        let start = parser.position
        var depth = 0
        var inString = false
        while let c = parser.current {
            parser.position += 1
            if inString {
                if c == "\\" { parser.position += 1 } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true
            case "[", "{": depth += 1
            case "]", "}":
                depth -= 1
                if depth == 0 {
                    let text = String(String.UnicodeScalarView(parser.scalars[start..<parser.position]))
                    do { return try JSON(parsing: text) } catch { throw parser.fail("invalid JSON literal \(text): \(error.message)") }
                }
            default: break
            }
        }
        throw parser.fail("unterminated JSON literal")
    }

    mutating func parseNumber() throws(PathSyntaxError) -> JSON {
        let start = parser.position
        if parser.current == "-" { parser.position += 1 }
        while let c = parser.current, ("0"..."9").contains(c) || c == "." || c == "e" || c == "E" || c == "+" || (c == "-" && (parser.scalars[parser.position - 1] == "e" || parser.scalars[parser.position - 1] == "E")) {
            parser.position += 1
        }
        let text = String(String.UnicodeScalarView(parser.scalars[start..<parser.position]))
        guard let value = try? JSON(parsing: text), case .number = value else { throw parser.fail("invalid number \(text)") }
        return value
    }
}
