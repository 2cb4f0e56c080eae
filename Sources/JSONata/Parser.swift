// A Pratt (top-down operator precedence) parser. Each token has a left binding power; `nud` handles a
// token that starts an expression, `led` one that continues it. The tokenizer is called on demand so
// that `/` after an operand is division and elsewhere starts a regular expression.
import Foundation

let bindingPowers: [String: Int] = [
    ".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60,
    "%": 60, "=": 40, "<": 40, ">": 40, "^": 40, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
    "and": 30, "or": 25, "in": 40, "&": 50,
]

private let knownOperators: Set<String> = Set(bindingPowers.keys).union(["]", "}", ")", ",", ";", ":", "|", "**", ".."])

struct Parser {
    var lexer: Lexer
    var token: Token
    let sourceLength: Int

    init(_ text: String) {
        lexer = Lexer(text)
        sourceLength = lexer.src.count
        token = Token(kind: .end, text: "(end)", position: 0, start: 0)
    }

    static func parse(_ text: String) throws(JSONataError) -> Node {
        var parser = Parser(text)
        try parser.advance()
        let expr = try parser.expression(0)
        if parser.token.kind != .end {
            throw JSONataError(code: "S0201", position: parser.token.position, token: parser.token.text)
        }
        var processor = ASTProcessor()
        let ast = try processor.process(expr)
        if ast.seekingParent != nil || ast.kind == .parent {
            throw JSONataError(code: "S0217", position: ast.position, token: ast.kind == .parent ? "%" : "")
        }
        ast.finalize()
        return ast
    }

    private func id(_ t: Token) -> String {
        switch t.kind {
        case .op: t.text
        case .end: "(end)"
        case .name, .variable: "(name)"
        case .regex: "(regex)"
        default: "(literal)"
        }
    }

    private var currentID: String { id(token) }

    mutating func advance(_ expected: String? = nil, infix: Bool = false) throws(JSONataError) {
        if let expected, currentID != expected {
            let code = token.kind == .end ? "S0203" : "S0202"
            throw JSONataError(code: code, position: token.position, token: token.text, value: expected)
        }
        token = try lexer.next(prefix: !infix)
        if token.kind == .op && !knownOperators.contains(token.text) {
            throw JSONataError(code: "S0204", position: token.position, token: token.text)
        }
    }

    private func lbp(_ t: Token) -> Int {
        guard t.kind == .op else { return 0 }
        return bindingPowers[t.text] ?? 0
    }

    mutating func expression(_ rbp: Int) throws(JSONataError) -> Node {
        var t = token
        try advance(nil, infix: true)
        var left = try nud(t)
        while rbp < lbp(token) {
            t = token
            try advance()
            left = try led(t, left)
        }
        return left
    }

    // MARK: prefix position

    private mutating func nud(_ t: Token) throws(JSONataError) -> Node {
        switch t.kind {
        case .end:
            throw JSONataError(code: "S0207", position: t.position, token: "(end)")
        case .string:
            let n = Node(.string, position: t.position, value: t.text)
            n.literal = .string(t.text)
            return n
        case .number:
            let n = Node(.number, position: t.position, value: t.text)
            n.literal = .number(t.number)
            return n
        case .value:
            let n = Node(.value, position: t.position, value: t.text)
            n.literal = t.literal
            return n
        case .name:
            return Node(.name, position: t.position, value: t.text)
        case .variable:
            return Node(.variable, position: t.position, value: t.text)
        case .regex:
            let n = Node(.regex, position: t.position, value: t.text)
            n.regexSource = t.text
            n.regex = try compileRegex(t.text, flags: t.regexFlags, position: t.position)
            return n
        case .op:
            return try nudOperator(t)
        }
    }

    private mutating func nudOperator(_ t: Token) throws(JSONataError) -> Node {
        switch t.text {
        case "and", "or", "in":
            return Node(.name, position: t.position, value: t.text)
        case "-":
            let n = Node(.unary, position: t.position, value: "-")
            n.expression = try expression(70)
            return n
        case "*": return Node(.wildcard, position: t.position, value: "*")
        case "**": return Node(.descendant, position: t.position, value: "**")
        case "%": return Node(.parent, position: t.position, value: "%")
        case "[":
            let n = Node(.arrayCons, position: t.position, value: "[")
            if currentID != "]" {
                while true {
                    var item = try expression(0)
                    if currentID == ".." {
                        let range = Node(.binary, position: token.position, value: "..")
                        range.lhs = item
                        try advance("..")
                        range.rhs = try expression(0)
                        item = range
                    }
                    n.expressions.append(item)
                    if currentID != "," { break }
                    try advance(",")
                }
            }
            try advance("]", infix: true)
            return n
        case "{":
            let n = Node(.objectCons, position: t.position, value: "{")
            n.pairs = try objectPairs()
            return n
        case "(":
            let n = Node(.block, position: t.position, value: "(")
            while currentID != ")" {
                n.expressions.append(try expression(0))
                if currentID != ";" { break }
                try advance(";")
            }
            try advance(")", infix: true)
            return n
        case "|":
            let n = Node(.transform, position: t.position, value: "|")
            n.pattern = try expression(0)
            try advance("|")
            n.update = try expression(0)
            if currentID == "," {
                try advance(",")
                n.delete = try expression(0)
            }
            try advance("|")
            return n
        default:
            throw JSONataError(code: "S0211", position: t.position, token: t.text)
        }
    }

    private mutating func objectPairs() throws(JSONataError) -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        if currentID != "}" {
            while true {
                let key = try expression(0)
                try advance(":")
                let value = try expression(0)
                pairs.append((key, value))
                if currentID != "," { break }
                try advance(",")
            }
        }
        try advance("}", infix: true)
        return pairs
    }

    // MARK: infix position

    private mutating func led(_ t: Token, _ left: Node) throws(JSONataError) -> Node {
        let op = t.text
        switch op {
        case "(":
            return try functionCall(t, left)
        case "[":
            if currentID == "]" {
                var step = left
                while step.kind == .predicate, let l = step.lhs { step = l }
                step.keepArray = true
                try advance("]")
                return left
            }
            let n = Node(.predicate, position: t.position, value: "[")
            n.lhs = left
            n.rhs = try expression(0)
            try advance("]", infix: true)
            return n
        case "{":
            let n = Node(.group, position: t.position, value: "{")
            n.lhs = left
            n.pairs = try objectPairs()
            return n
        case "^":
            let n = Node(.orderBy, position: t.position, value: "^")
            try advance("(")
            while true {
                var descending = false
                if currentID == "<" { try advance("<") } else if currentID == ">" { descending = true; try advance(">") }
                let e = try expression(0)
                n.terms.append((descending, e))
                if currentID != "," { break }
                try advance(",")
            }
            try advance(")")
            n.lhs = left
            return n
        case "?":
            let n = Node(.condition, position: t.position, value: "?")
            n.condition = left
            n.then = try expression(0)
            if currentID == ":" {
                try advance(":")
                n.otherwise = try expression(0)
            }
            return n
        case ":=":
            if left.kind != .variable { throw JSONataError(code: "S0212", position: t.position, token: left.value) }
            let n = Node(.bind, position: t.position, value: ":=")
            n.lhs = left
            n.rhs = try expression(bindingPowers[":="]! - 1)
            return n
        case "@", "#":
            let n = Node(op == "@" ? .focusBind : .indexBind, position: t.position, value: op)
            n.lhs = left
            n.rhs = try expression(bindingPowers[op]!)
            if n.rhs?.kind != .variable { throw JSONataError(code: "S0214", position: n.rhs?.position, token: op) }
            return n
        case "~>":
            let n = Node(.chain, position: t.position, value: op)
            n.lhs = left
            n.rhs = try expression(bindingPowers[op]!)
            return n
        default:
            let n = Node(.binary, position: t.position, value: op)
            n.lhs = left
            n.rhs = try expression(bindingPowers[op] ?? 0)
            return n
        }
    }

    private mutating func functionCall(_ t: Token, _ left: Node) throws(JSONataError) -> Node {
        let n = Node(.function, position: t.position, value: "(")
        n.procedure = left
        if currentID != ")" {
            while true {
                if token.kind == .op && token.text == "?" {
                    n.kind = .partial
                    n.arguments.append(Node(.placeholder, position: token.position, value: "?"))
                    try advance("?")
                } else {
                    n.arguments.append(try expression(0))
                }
                if currentID != "," { break }
                try advance(",")
            }
        }
        try advance(")", infix: true)
        if left.kind == .name && (left.value == "function" || left.value == "\u{03BB}") {
            for arg in n.arguments where arg.kind != .variable {
                throw JSONataError(code: "S0208", position: arg.position, value: arg.value)
            }
            n.kind = .lambda
            n.params = n.arguments.map(\.value)
            n.arguments = []
            if currentID == "<" {
                let start = token.start
                var depth = 1
                var end = token.position
                while depth > 0 && currentID != "{" && token.kind != .end {
                    try advance()
                    if currentID == ">" { depth -= 1 } else if currentID == "<" { depth += 1 }
                    end = token.position
                }
                try advance(">")
                var text = ""
                text.unicodeScalars.append(contentsOf: lexer.src[start..<end])
                n.signature = try Signature(text, position: start)
            }
            try advance("{")
            n.body = try expression(0)
            try advance("}")
        }
        return n
    }
}

/// Compiles a JSONata regex literal with JavaScript-like semantics on NSRegularExpression.
func compileRegex(_ pattern: String, flags: String, position: Int) throws(JSONataError) -> NSRegularExpression {
    var options: NSRegularExpression.Options = []
    if flags.contains("i") { options.insert(.caseInsensitive) }
    if flags.contains("m") { options.insert(.anchorsMatchLines) }
    do {
        return try NSRegularExpression(pattern: translateJSRegex(pattern), options: options)
    } catch {
        throw JSONataError(code: "S0303", message: "Invalid regular expression: /\(pattern)/", position: position)
    }
}

/// Adjusts JavaScript regex syntax that ICU reads differently (none needed so far).
private func translateJSRegex(_ p: String) -> String { p }
