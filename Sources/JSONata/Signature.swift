// Function signatures (`<s-n?:s>`): a parameter list checked against the arguments of every call.
// JSONata matches a regular expression built from the signature against a string of type symbols
// (one letter per argument, `m` for undefined); this is the same match done by backtracking over
// the parameters. A `-` parameter takes the context value when its argument is left out.

/// A parsed function signature.
struct Signature: @unchecked Sendable {
    struct Param {
        /// The type symbols this parameter accepts (always including `m`, undefined).
        var accepts: Set<Character>
        var type: Character
        var subtype: String?
        var optional = false
        var variadic = false
        var context = false
    }

    var params: [Param] = []
    let text: String

    init(_ text: String, position: Int = 0) throws(JSONataError) {
        self.text = text
        let chars = Array(text)
        var i = 1
        var prev: Int? = nil
        func accepts(_ symbol: Character) -> Set<Character> {
            switch symbol {
            case "x": return ["a", "s", "n", "b", "l", "f", "o", "m"]
            case "j": return ["a", "s", "n", "b", "l", "o", "m"]
            case "a": return ["a", "s", "n", "b", "l", "f", "o", "m"]
            default: return [symbol, "m"]
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == ":" { break }
            switch c {
            case "s", "n", "b", "l", "o":
                params.append(Param(accepts: accepts(c), type: c))
                prev = params.count - 1
            case "a", "f", "x", "j":
                params.append(Param(accepts: accepts(c), type: c))
                prev = params.count - 1
            case "(":
                var j = i + 1
                var set: Set<Character> = ["m"]
                var text = ""
                while j < chars.count && chars[j] != ")" {
                    if chars[j] == "<" { throw JSONataError(code: "S0402", position: position) }
                    set.formUnion(accepts(chars[j]))
                    text.append(chars[j])
                    j += 1
                }
                params.append(Param(accepts: set, type: "("))
                prev = params.count - 1
                i = j
            case "<":
                guard let p = prev, params[p].type == "a" || params[p].type == "f" else {
                    throw JSONataError(code: "S0401", position: position)
                }
                var depth = 1
                var j = i + 1
                var sub = ""
                while j < chars.count && depth > 0 {
                    if chars[j] == "<" { depth += 1 } else if chars[j] == ">" { depth -= 1 }
                    if depth > 0 { sub.append(chars[j]) }
                    j += 1
                }
                if params[p].type == "a" { params[p].subtype = sub }
                i = j - 1
            case "?": if let p = prev { params[p].optional = true }
            case "+": if let p = prev { params[p].variadic = true }
            case "-":
                if let p = prev { params[p].context = true; params[p].optional = true }
            default: break
            }
            i += 1
        }
    }

    /// Matches the symbols; returns, per parameter, how many arguments it took.
    private func match(_ symbols: [Character]) -> [Int]? {
        var counts = [Int](repeating: 0, count: params.count)
        func go(_ p: Int, _ s: Int) -> Bool {
            if p == params.count { return s == symbols.count }
            let param = params[p]
            var maxTake = 0
            while s + maxTake < symbols.count && param.accepts.contains(symbols[s + maxTake]) {
                maxTake += 1
                if !param.variadic { break }
            }
            let minTake = param.optional ? 0 : 1
            if maxTake < minTake { return false }
            var take = maxTake
            while take >= minTake {
                counts[p] = take
                if go(p + 1, s + take) { return true }
                take -= 1
            }
            return false
        }
        return go(0, 0) ? counts : nil
    }

    /// The arguments after checking them: the context value filled in for a missing `-` argument,
    /// single values wrapped for array parameters.
    func validate(_ args: [JValue?], context: JValue?, name: String?) throws(JSONataError) -> [JValue?] {
        let symbols = args.map { $0?.symbol ?? "m" }
        guard let counts = match(symbols) else {
            // find how far the arguments matched
            var good = 0
            for p in 0..<params.count {
                let param = params[p]
                var take = 0
                while good + take < symbols.count && param.accepts.contains(symbols[good + take]) {
                    take += 1
                    if !param.variadic { break }
                }
                if take == 0 && !param.optional { break }
                good += take
            }
            throw argumentError("T0410", args.indices.contains(good) ? args[good] : nil, index: good + 1, name: name)
        }
        var out: [JValue?] = []
        var argIndex = 0
        for (p, param) in params.enumerated() {
            let take = counts[p]
            if take == 0 {
                if param.context {
                    let symbol = context?.symbol ?? "m"
                    if param.accepts.contains(symbol) {
                        out.append(context)
                    } else {
                        throw argumentError("T0411", context, index: argIndex + 1, name: name)
                    }
                } else {
                    out.append(argIndex < args.count ? args[argIndex] : nil)
                    argIndex += 1
                }
                continue
            }
            for _ in 0..<take {
                let arg = args[argIndex]
                if param.type == "a" {
                    guard let value = arg else { out.append(nil); argIndex += 1; continue }
                    if let sub = param.subtype, let subSymbol = sub.first {
                        var ok = true
                        if case .array(let a) = value {
                            if let first = a.items.first {
                                let itemType = first.symbol
                                if itemType != subSymbol { ok = false } else { ok = a.items.allSatisfy { $0.symbol == itemType } }
                            }
                        } else {
                            ok = value.symbol == subSymbol
                        }
                        if !ok { throw argumentError("T0412", value, index: argIndex + 1, name: name) }
                    }
                    if case .array = value { out.append(value) } else { out.append(.arr([value])) }
                } else {
                    out.append(arg)
                }
                argIndex += 1
            }
        }
        return out
    }

    private func argumentError(_ code: String, _ value: JValue?, index: Int, name: String?) -> JSONataError {
        var e = jerr(code, value, token: name)
        e.index = index
        e.message = JSONataError.render(code: code, token: name, value: e.value, index: index)
        return e
    }

    var arity: Int { params.count }
}
