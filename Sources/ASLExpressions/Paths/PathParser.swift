// Parses JSONPath text as Jayway JSONPath (the implementation AWS Step Functions runs) reads it:
// `$.a.b`, `$['a b']`, `$.a[0]`, `$.a[-1]`, `$.a[0,2]`, `$.a[1:3]`, `$.*`, `$..name`,
// `$.a[?(@.price < 10)]`, `$.a[(@.length-1)]`, `$.a.length()`, with roots `$`, `$$`, `$name` and,
// inside filters, `@`. Quoted names in brackets keep their text as written (AWS matches
// `$['a\"b']` against the key `a\"b`); a backslash only stops the next character from ending
// the name.

struct PathParser {
    let scalars: [Unicode.Scalar]
    var position = 0
    /// Inside a filter expression a path ends where an operator or a blank begins.
    var embedded = false

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var atEnd: Bool { position >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }
    func peek(_ offset: Int = 1) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    func fail(_ message: String) -> PathSyntaxError {
        PathSyntaxError("\(message) at position \(position + 1)")
    }

    /// Parses a whole path: a root, then segments to the end of the text.
    mutating func parsePath() throws(PathSyntaxError) -> (PathRoot, [PathSegment]) {
        let root = try parseRoot()
        var segments: [PathSegment] = []
        while !atEnd {
            if case .function = segments.last {
                throw fail("a function such as length() must come last in a path")
            }
            segments.append(try parseSegment())
        }
        return (root, segments)
    }

    mutating func parseRoot() throws(PathSyntaxError) -> PathRoot {
        guard let first = current else { throw PathSyntaxError("a path cannot be empty") }
        if first == "@" {
            position += 1
            return .current
        }
        guard first == "$" else { throw PathSyntaxError("a path must start with '$'") }
        position += 1
        if current == "$" {
            position += 1
            return .context
        }
        guard let next = current, isNameStart(next) else { return .input }
        let start = position
        while let c = current, isNameCharacter(c) { position += 1 }
        return .variable(String(String.UnicodeScalarView(scalars[start..<position])))
    }

    func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    mutating func parseSegment() throws(PathSyntaxError) -> PathSegment {
        switch current {
        case ".":
            if peek() == "." {
                position += 2
                guard let c = current else { throw fail("a path cannot end with '..'") }
                if c == "[" { return .descendant(try parseBracket()) }
                if c == "*" {
                    position += 1
                    return .descendant(.wildcard)
                }
                let name = try parseDotName()
                if current == "(" { throw fail("a function cannot follow '..'") }
                return .descendant(.member(name))
            }
            position += 1
            guard let c = current else { throw fail("a path cannot end with '.'") }
            if c == "*" {
                position += 1
                return .wildcard
            }
            if c == "[" { throw fail("'.' cannot be followed by '['") }
            let name = try parseDotName()
            if current == "(" { return .function(try parseFunctionCall(name)) }
            return .member(name)
        case "[":
            return try parseBracket()
        case let c?:
            throw fail("unexpected character '\(c)'")
        case nil:
            throw fail("unexpected end of path")
        }
    }

    /// A member name after `.`: everything up to the next `.`, `[` or `(`.
    mutating func parseDotName() throws(PathSyntaxError) -> String {
        let start = position
        while let c = current, c != ".", c != "[", c != "(" {
            if embedded, Self.filterTerminators.contains(c) { break }
            if c == " " || c == "\t" || c == "\n" {
                throw fail("a member name after '.' cannot contain blanks; use bracket notation ['my name']")
            }
            if c == "]" || c == ")" || c == "'" || c == "\"" { throw fail("unexpected character '\(c)'") }
            position += 1
        }
        guard position > start else { throw fail("a member name is missing after '.'") }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    static let filterTerminators: Set<Unicode.Scalar> = [" ", "\t", "\n", ")", "=", "<", ">", "!", "&", "|", ",", "]"]

    mutating func parseFunctionCall(_ name: String) throws(PathSyntaxError) -> PathFunction {
        guard let function = PathFunction(rawValue: name) else {
            throw fail("unknown path function '\(name)()'")
        }
        position += 1  // (
        skipBlanks()
        guard current == ")" else { throw fail("the function \(name)() takes no arguments") }
        position += 1
        return function
    }

    mutating func skipBlanks() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    mutating func expect(_ c: Unicode.Scalar, _ what: String) throws(PathSyntaxError) {
        skipBlanks()
        guard current == c else {
            throw fail("expected '\(c)' \(what)" + (current.map { ", found '\($0)'" } ?? ", found the end of the path"))
        }
        position += 1
    }

    /// `[...]`: quoted names, `*`, a filter, a script index, indices or a slice.
    mutating func parseBracket() throws(PathSyntaxError) -> PathSegment {
        position += 1  // [
        skipBlanks()
        guard let c = current else { throw fail("unclosed '['") }
        let segment: PathSegment
        switch c {
        case "'", "\"":
            var names: [String] = []
            while true {
                skipBlanks()
                guard let quote = current, quote == "'" || quote == "\"" else {
                    throw fail("expected a quoted name in brackets")
                }
                names.append(try parseQuotedName(quote))
                skipBlanks()
                if current == "," {
                    position += 1
                    continue
                }
                break
            }
            segment = names.count == 1 ? .member(names[0]) : .members(names)
        case "*":
            position += 1
            segment = .wildcard
        case "?":
            position += 1
            try expect("(", "after '[?'")
            var filterParser = FilterParser(parser: self)
            let expression = try filterParser.parseExpression()
            self = filterParser.parser
            try expect(")", "to close the filter expression")
            segment = .filter(expression)
        case "(":
            segment = try parseScriptIndex()
        default:
            segment = try parseIndexOrSlice()
        }
        try expect("]", "to close '['")
        return segment
    }

    mutating func parseQuotedName(_ quote: Unicode.Scalar) throws(PathSyntaxError) -> String {
        position += 1
        let start = position
        var escaped = false
        while let c = current {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == quote {
                let name = String(String.UnicodeScalarView(scalars[start..<position]))
                position += 1
                return name
            }
            position += 1
        }
        throw fail("unterminated quoted name")
    }

    /// `(@.length-n)`: the only script Baton accepts, an index counted from the end.
    mutating func parseScriptIndex() throws(PathSyntaxError) -> PathSegment {
        position += 1  // (
        skipBlanks()
        let prefix = Array("@.length".unicodeScalars)
        guard scalars.count - position >= prefix.count, Array(scalars[position..<position + prefix.count]) == prefix else {
            throw fail("the only script expression supported in brackets is (@.length-N)")
        }
        position += prefix.count
        skipBlanks()
        var offset = 0
        if current == "-" || current == "+" {
            let negative = current == "-"
            position += 1
            skipBlanks()
            guard let n = parseInteger() else { throw fail("expected a number after '@.length-'") }
            offset = negative ? n : -n
        }
        try expect(")", "to close the script expression")
        guard offset >= 1 else { throw fail("(@.length-N) needs N of at least 1") }
        return .fromEnd(offset)
    }

    mutating func parseInteger() -> Int? {
        let start = position
        if current == "-" { position += 1 }
        let digitsStart = position
        while let c = current, ("0"..."9").contains(c) { position += 1 }
        guard position > digitsStart else {
            position = start
            return nil
        }
        return Int(String(String.UnicodeScalarView(scalars[start..<position])))
    }

    mutating func parseIndexOrSlice() throws(PathSyntaxError) -> PathSegment {
        let first = parseInteger()
        skipBlanks()
        if current == ":" {
            position += 1
            skipBlanks()
            let end = parseInteger()
            skipBlanks()
            if current == ":" { throw fail("slices with a step are not supported") }
            return .slice(start: first, end: end)
        }
        guard let first else {
            throw fail("expected an index, a slice, '*', a quoted name or a filter in brackets")
        }
        var list = [first]
        while current == "," {
            position += 1
            skipBlanks()
            guard let next = parseInteger() else { throw fail("expected an index after ','") }
            list.append(next)
            skipBlanks()
        }
        return list.count == 1 ? .index(first) : .indices(list)
    }
}
