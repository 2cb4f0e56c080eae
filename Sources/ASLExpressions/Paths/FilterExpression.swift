// Filter expressions, `[?(…)]`, as Jayway JSONPath evaluates them: `@` is the value being tested,
// `$` the document root; a path alone tests existence; comparisons between values of different
// types are false; `!=` is true when the left side is missing.

import BatonJSON
#if canImport(Foundation)
import Foundation
#endif

/// A parsed filter predicate.
indirect enum FilterExpression: Sendable, Hashable {
    case or(FilterExpression, FilterExpression)
    case and(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// A path on its own: true when it selects something.
    case exists(FilterOperand)
    case compare(FilterOperand, FilterOperator, FilterOperand)
}

/// One side of a comparison.
enum FilterOperand: Sendable, Hashable {
    case path(PathRoot, [PathSegment])
    case value(JSON)
    case regex(pattern: String, caseInsensitive: Bool)
}

/// The comparison operators Jayway knows.
enum FilterOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case matches = "=~", `in` = "in", notIn = "nin", subsetOf = "subsetof", anyOf = "anyof", noneOf = "noneof"
    case size = "size", empty = "empty", contains = "contains"
}

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
                #if canImport(Foundation)
                guard (try? NSRegularExpression(pattern: text)) != nil else {
                    throw parser.fail("invalid regular expression /\(text)/")
                }
                #endif
                return .regex(pattern: text, caseInsensitive: caseInsensitive)
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

// MARK: - Evaluation

/// What an operand evaluates to: a value, nothing (a missing path) or a regular expression.
enum FilterValue {
    case value(JSON)
    case undefined
    case regex(String, Bool)
}

extension FilterExpression {
    /// Whether `item` passes this predicate; `root` is what `$` means inside the filter.
    func test(_ item: JSON, root: JSON, scope: ExpressionScope?) -> Bool {
        switch self {
        case .or(let a, let b): return a.test(item, root: root, scope: scope) || b.test(item, root: root, scope: scope)
        case .and(let a, let b): return a.test(item, root: root, scope: scope) && b.test(item, root: root, scope: scope)
        case .not(let inner): return !inner.test(item, root: root, scope: scope)
        case .exists(let operand):
            if case .value = operand.evaluate(item, root: root, scope: scope) { return true }
            return false
        case .compare(let l, let op, let r):
            return compare(l.evaluate(item, root: root, scope: scope), op, r.evaluate(item, root: root, scope: scope))
        }
    }

    private func compare(_ left: FilterValue, _ op: FilterOperator, _ right: FilterValue) -> Bool {
        if op == .notEqual {
            return !compare(left, .equal, right)
        }
        guard case .value(let l) = left else { return false }
        if op == .matches {
            guard case .regex(let pattern, let caseInsensitive) = right, case .string(let s) = l else { return false }
            return regexMatches(pattern, caseInsensitive, s)
        }
        guard case .value(let r) = right else { return false }
        switch op {
        case .equal: return jaywayEquals(l, r)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Int
            switch (l, r) {
            case let (.number(a), .number(b)): order = a < b ? -1 : (a == b ? 0 : 1)
            case let (.string(a), .string(b)): order = a < b ? -1 : (a == b ? 0 : 1)
            default: return false
            }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        case .in: return r.arrayValue?.contains(l) ?? false
        case .notIn: return !(r.arrayValue?.contains(l) ?? false)
        case .subsetOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return a.allSatisfy(b.contains)
        case .anyOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return a.contains(where: b.contains)
        case .noneOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return !a.contains(where: b.contains)
        case .size:
            guard let n = r.intValue else { return false }
            switch l {
            case .array(let a): return a.count == n
            case .string(let s): return s.count == n
            default: return false
            }
        case .empty:
            guard let wanted = r.boolValue else { return false }
            switch l {
            case .array(let a): return a.isEmpty == wanted
            case .string(let s): return s.isEmpty == wanted
            default: return false
            }
        case .contains:
            switch (l, r) {
            case let (.string(a), .string(b)): return a.contains(b)
            case let (.array(a), _): return a.contains(r)
            default: return false
            }
        case .notEqual, .matches: return false
        }
    }

    /// Jayway's `==`: like JSON equality, except that a number equals a string holding the same
    /// number, and a string equals a number whose text it is.
    private func jaywayEquals(_ l: JSON, _ r: JSON) -> Bool {
        switch (l, r) {
        case (.number(let n), .string(let s)):
            guard case .number(let m)? = try? JSON(parsing: s) else { return false }
            return n == m
        case (.string(let s), .number(let n)):
            return s == javaNumberText(n)
        default:
            return l == r
        }
    }

    private func regexMatches(_ pattern: String, _ caseInsensitive: Bool, _ s: String) -> Bool {
        #if canImport(Foundation)
        guard let regex = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else {
            return false
        }
        let range = NSRange(s.startIndex..., in: s)
        guard let match = regex.firstMatch(in: s, options: [.anchored], range: range) else { return false }
        return match.range == range
        #else
        return false
        #endif
    }
}

extension FilterOperand {
    func evaluate(_ item: JSON, root: JSON, scope: ExpressionScope?) -> FilterValue {
        switch self {
        case .value(let v): return .value(v)
        case .regex(let p, let i): return .regex(p, i)
        case .path(let pathRoot, let segments):
            let start: JSON?
            switch pathRoot {
            case .current: start = item
            case .input: start = root
            case .context: start = scope?.context
            case .variable(let name): start = scope?.variables[name]
            }
            guard let start else { return .undefined }
            if segments.allSatisfy(\.isDefinite) {
                if case .found(let v) = selectDefinite(segments, from: start, root: root, scope: scope) { return .value(v) }
                return .undefined
            }
            return .value(.array(selectIndefinite(segments, from: start, root: root, scope: scope)))
        }
    }
}
