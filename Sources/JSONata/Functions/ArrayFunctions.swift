// Array functions: $append, $reverse, $shuffle, $distinct, $sort, $zip.

func registerArrayFunctions(_ b: inout LibraryBuilder) {
    b.add("append", "<xx:a>") { args, _ throws(JSONataError) in
        appendValues(args[arg: 0], args[arg: 1])
    }
    b.add("reverse", "<a:a>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        let items = a.asList
        if items.count <= 1 { return a }
        return .arr(items.reversed())
    }
    b.add("shuffle", "<a:a>") { args, ctx throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        var items = a.asList
        if items.count <= 1 { return a }
        items.shuffle(using: &ctx.evaluator.random)
        return .arr(items)
    }
    b.add("distinct", "<x:x>") { args, _ throws(JSONataError) in
        guard let v = args[arg: 0] else { return nil }
        guard case .array(let a) = v, a.items.count > 1 else { return v }
        var out: [JValue] = []
        for item in a.items where !out.contains(where: { deepEqual($0, item) }) { out.append(item) }
        return .array(JArray(out, sequence: a.isSequence))
    }
    b.add("sort", "<af?:a>") { args, ctx throws(JSONataError) in
        guard let v = args[arg: 0] else { return nil }
        let items = v.asList
        if items.count <= 1 { return v }
        if let comparator = args[arg: 1] {
            var failure: JSONataError? = nil
            let sorted = mergeSort(items) { a, b in
                if failure != nil { return false }
                do throws(JSONataError) {
                    return jsTruthy(try ctx.evaluator.apply(comparator, [a, b], nil, ctx.frame))
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return .arr(sorted)
        }
        if items.allSatisfy({ $0.asNumber != nil }) {
            return .arr(mergeSort(items) { $0.asNumber! > $1.asNumber! })
        }
        if items.allSatisfy({ $0.asString != nil }) {
            return .arr(mergeSort(items) { jsCompare($0.asString!, $1.asString!) > 0 })
        }
        throw JSONataError(code: "D3070")
    }
    b.add("zip", "<a+>") { args, _ throws(JSONataError) in
        let lists = args.map { $0?.asList ?? [] }
        let length = lists.map(\.count).min() ?? 0
        var out: [JValue] = []
        for i in 0..<length { out.append(.arr(lists.map { $0[i] })) }
        return .arr(out)
    }
}
