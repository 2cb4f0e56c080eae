// Unary and binary operators: arithmetic, comparison, equality, `and`/`or`, `&`, `..`, `in`, and the
// array and object constructors.

extension Evaluator {
    func evaluateBinary(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        let lhs = try eval(expr.lhs!, input, env)
        let op = expr.value
        if op == "and" {
            if !truthy(lhs) { return .bool(false) }
            return .bool(truthy(try eval(expr.rhs!, input, env)))
        }
        if op == "or" {
            if truthy(lhs) { return .bool(true) }
            return .bool(truthy(try eval(expr.rhs!, input, env)))
        }
        let rhs = try eval(expr.rhs!, input, env)
        do throws(JSONataError) {
            switch op {
            case "+", "-", "*", "/", "%": return try numeric(lhs, rhs, op)
            case "=": return .bool(lhs != nil && rhs != nil && deepEqual(lhs!, rhs!))
            case "!=": return .bool(lhs != nil && rhs != nil && !deepEqual(lhs!, rhs!))
            case "<", "<=", ">", ">=": return try compare(lhs, rhs, op)
            case "&": return .string(try concatString(lhs) + concatString(rhs))
            case "..": return try range(lhs, rhs)
            case "in":
                guard let l = lhs, let r = rhs else { return .bool(false) }
                return .bool(r.asList.contains { strictEqual($0, l) })
            default:
                throw JSONataError(code: "S0204", token: op)
            }
        } catch {
            var e = error
            e.fill(position: expr.position, token: op)
            throw e
        }
    }

    private func concatString(_ v: JValue?) throws(JSONataError) -> String {
        guard let v else { return "" }
        return try stringValue(v) ?? ""
    }

    private func numeric(_ lhs: JValue?, _ rhs: JValue?, _ op: String) throws(JSONataError) -> JValue? {
        var a = 0.0, b = 0.0
        if let lhs {
            guard case .number(let n) = lhs else { throw jerr("T2001", lhs) }
            if !n.isFinite { throw jerr("D1001", lhs) }
            a = n
        }
        if let rhs {
            guard case .number(let n) = rhs else { throw jerr("T2002", rhs) }
            if !n.isFinite { throw jerr("D1001", rhs) }
            b = n
        }
        guard lhs != nil, rhs != nil else { return nil }
        switch op {
        case "+": return .number(a + b)
        case "-": return .number(a - b)
        case "*": return .number(a * b)
        case "/": return .number(a / b)
        default: return .number(a.truncatingRemainder(dividingBy: b))
        }
    }

    private func compare(_ lhs: JValue?, _ rhs: JValue?, _ op: String) throws(JSONataError) -> JValue? {
        func comparable(_ v: JValue?) -> Bool {
            guard let v else { return true }
            switch v { case .string, .number: return true; default: return false }
        }
        guard comparable(lhs), comparable(rhs) else {
            let bad = comparable(lhs) || lhs == nil ? rhs : lhs
            throw jerr("T2010", bad)
        }
        guard let l = lhs, let r = rhs else { return nil }
        let ordering: Int
        switch (l, r) {
        case let (.number(a), .number(b)): ordering = a < b ? -1 : (a > b ? 1 : 0)
        case let (.string(a), .string(b)): ordering = jsCompare(a, b)
        default: throw jerr("T2009", l, value2: r)
        }
        switch op {
        case "<": return .bool(ordering < 0)
        case "<=": return .bool(ordering <= 0)
        case ">": return .bool(ordering > 0)
        default: return .bool(ordering >= 0)
        }
    }

    private func range(_ lhs: JValue?, _ rhs: JValue?) throws(JSONataError) -> JValue? {
        var lo = 0.0, hi = 0.0
        if let lhs {
            guard case .number(let n) = lhs, isJSInteger(n) else { throw jerr("T2003", lhs) }
            lo = n
        }
        if let rhs {
            guard case .number(let n) = rhs, isJSInteger(n) else { throw jerr("T2004", rhs) }
            hi = n
        }
        guard lhs != nil, rhs != nil, lo <= hi else { return nil }
        let size = hi - lo + 1
        if size > 1e7 { throw jerr("D2014", .number(size)) }
        var items: [JValue] = []
        items.reserveCapacity(Int(size))
        var v = lo
        while v <= hi { items.append(.number(v)); v += 1 }
        return .seq(items)
    }

    func evaluateUnary(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        switch expr.value {
        case "-":
            guard let v = try eval(expr.expression!, input, env) else { return nil }
            guard case .number(let n) = v else {
                throw jerr("D1002", v, token: "-", position: expr.position)
            }
            return .number(-n)
        case "[":
            var items: [JValue] = []
            for item in expr.expressions {
                guard let value = try eval(item, input, env) else { continue }
                if item.kind == .unary && item.value == "[" {
                    items.append(value)
                } else if case .array(let a) = value {
                    items.append(contentsOf: a.items)
                } else {
                    items.append(value)
                }
            }
            let a = JArray(items)
            a.cons = expr.consarray
            return .array(a)
        case "{":
            return try evaluateGroup(expr.pairs, position: expr.position, input, env)
        default:
            throw JSONataError(code: "S0211", position: expr.position, token: expr.value)
        }
    }
}

/// JavaScript's string ordering (UTF-16 code units): -1, 0 or 1.
func jsCompare(_ a: String, _ b: String) -> Int {
    if a == b { return 0 }
    var i = a.utf16.makeIterator(), j = b.utf16.makeIterator()
    while true {
        let x = i.next(), y = j.next()
        switch (x, y) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (p?, q?): if p != q { return p < q ? -1 : 1 }
        }
    }
}
