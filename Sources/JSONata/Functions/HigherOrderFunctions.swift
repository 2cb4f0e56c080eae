// Higher-order functions: $map, $filter, $single, $reduce, $each, $sift. Each callback gets as many of
// (value, index, array) — or (value, key, object) — as it declares parameters.
import OrderedCollections

func registerHigherOrderFunctions(_ b: inout LibraryBuilder) {
    b.add("map", "<af>") { args, ctx throws(JSONataError) in
        guard let a = args[arg: 0], let f = args[arg: 1] else { return nil }
        let items = a.asList
        var out: [JValue] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let r = try ctx.callback(f, [item, .number(Double(i)), a]) { out.append(r) }
        }
        return .seq(out)
    }
    b.add("filter", "<af>") { args, ctx throws(JSONataError) in
        guard let a = args[arg: 0], let f = args[arg: 1] else { return nil }
        var out: [JValue] = []
        for (i, item) in a.asList.enumerated() where truthy(try ctx.callback(f, [item, .number(Double(i)), a])) {
            out.append(item)
        }
        return .seq(out)
    }
    b.add("single", "<af?>") { args, ctx throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        var found: JValue? = nil
        for (i, item) in a.asList.enumerated() {
            var ok = true
            if let f = args[arg: 1] { ok = truthy(try ctx.callback(f, [item, .number(Double(i)), a])) }
            if ok {
                if found != nil { throw JSONataError(code: "D3138") }
                found = item
            }
        }
        guard let found else { throw JSONataError(code: "D3139") }
        return found
    }
    b.add("reduce", "<afj?:j>") { args, ctx throws(JSONataError) in
        guard let a = args[arg: 0], let f = args[arg: 1] else { return nil }
        let arity = f.asFunction?.arity ?? 2
        if arity < 2 { throw JSONataError(code: "D3050") }
        let items = a.asList
        var result: JValue?
        var index: Int
        if args[arg: 2] == nil && !items.isEmpty {
            result = items[0]
            index = 1
        } else {
            result = args[arg: 2]
            index = 0
        }
        while index < items.count {
            var callArgs: [JValue?] = [result, items[index]]
            if arity >= 3 { callArgs.append(.number(Double(index))) }
            if arity >= 4 { callArgs.append(a) }
            result = try ctx.evaluator.apply(f, callArgs, nil, ctx.frame)
            index += 1
        }
        return result
    }
    b.add("each", "<o-f:a>") { args, ctx throws(JSONataError) in
        guard let v = args[arg: 0], case .object(let o) = v, let f = args[arg: 1] else { return nil }
        var out: [JValue] = []
        for (k, val) in o.dict {
            if let r = try ctx.callback(f, [val, .string(k), v]) { out.append(r) }
        }
        return .seq(out)
    }
    b.add("sift", "<o-f?:o>") { args, ctx throws(JSONataError) in
        guard let v = args[arg: 0], case .object(let o) = v, let f = args[arg: 1] else { return nil }
        var d = OrderedDictionary<String, JValue>()
        for (k, val) in o.dict where truthy(try ctx.callback(f, [val, .string(k), v])) { d[k] = val }
        return d.isEmpty ? nil : .obj(d)
    }
}
