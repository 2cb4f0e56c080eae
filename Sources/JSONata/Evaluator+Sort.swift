// The order-by clause `^( … )`: a stable merge sort on one or more terms, each ascending (`<`, the
// default) or descending (`>`); undefined sorts last; mixing strings and numbers is an error.

extension Evaluator {
    func sortSequence(_ expr: Node, _ items: [JValue], isTuple: Bool, _ env: Frame) throws(JSONataError) -> JArray {
        // evaluate every term once per item
        var keys: [[JValue?]] = []
        keys.reserveCapacity(items.count)
        for item in items {
            var context: JValue? = item
            var frame = env
            if isTuple, case .object(let t) = item {
                context = t.dict["@"]
                frame = frameFromTuple(env, t)
            }
            var row: [JValue?] = []
            for term in expr.terms { row.append(try eval(term.expression, context, frame)) }
            keys.append(row)
        }
        var firstError: JSONataError? = nil
        func swap(_ a: Int, _ b: Int) -> Bool {
            var comp = 0
            for (t, term) in expr.terms.enumerated() {
                let aa = keys[a][t], bb = keys[b][t]
                guard let x = aa else { comp = bb == nil ? 0 : 1; if comp != 0 { break } else { continue } }
                guard let y = bb else { comp = -1; break }
                let xs = x.asString != nil || x.asNumber != nil
                let ys = y.asString != nil || y.asNumber != nil
                if !xs || !ys {
                    if firstError == nil { firstError = jerr("T2008", !xs ? x : y, position: expr.position) }
                    return false
                }
                switch (x, y) {
                case let (.number(p), .number(q)): comp = p == q ? 0 : (p < q ? -1 : 1)
                case let (.string(p), .string(q)): comp = jsCompare(p, q)
                default:
                    if firstError == nil { firstError = jerr("T2007", x, position: expr.position, value2: y) }
                    return false
                }
                if term.descending { comp = -comp }
                if comp != 0 { break }
            }
            return comp == 1
        }
        let order = mergeSort(Array(0..<items.count), swap)
        if let e = firstError { throw e }
        let result = JArray(order.map { items[$0] }, sequence: true)
        result.tupleStream = isTuple
        return result
    }
}

/// A stable merge sort where `swap(a, b)` says whether `a` must come after `b` (JSONata's `$sort` contract).
func mergeSort<T>(_ items: [T], _ swap: (T, T) -> Bool) -> [T] {
    if items.count <= 1 { return items }
    let mid = items.count / 2
    let left = mergeSort(Array(items[..<mid]), swap)
    let right = mergeSort(Array(items[mid...]), swap)
    var out: [T] = []
    out.reserveCapacity(items.count)
    var i = 0, j = 0
    while i < left.count && j < right.count {
        if swap(left[i], right[j]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
    }
    out.append(contentsOf: left[i...])
    out.append(contentsOf: right[j...])
    return out
}
