// Object constructors and grouping: `{ key: value }` evaluates each key against every input item,
// groups the items by key, then evaluates each group's value expression against its items.
import OrderedCollections

extension Evaluator {
    func evaluateGroup(_ pairs: [(Node, Node)], position: Int, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        var items: [JValue?]
        var reduce = false
        if let input, case .array(let a) = input {
            items = a.items.map { Optional($0) }
            reduce = a.tupleStream
        } else {
            items = [input]
        }
        if items.isEmpty { items = [nil] }

        var groups = OrderedDictionary<String, (data: [JValue], exprIndex: Int)>()
        for item in items {
            var context = item
            var frame = env
            if reduce, let item, case .object(let t) = item {
                frame = frameFromTuple(env, t)
                context = t.dict["@"]
            }
            for (pairIndex, pair) in pairs.enumerated() {
                let key = try eval(pair.0, context, frame)
                guard let key else { continue }
                guard case .string(let k) = key else {
                    throw jerr("T1003", key, position: position)
                }
                if let existing = groups[k]?.exprIndex {
                    if existing != pairIndex { throw jerr("D1009", key, position: position) }
                    if let item { groups[k]!.data.append(item) }
                } else {
                    groups[k] = (item.map { [$0] } ?? [], pairIndex)
                }
            }
        }

        var result = OrderedDictionary<String, JValue>()
        for (key, entry) in groups {
            // as repeated `fn.append`: one item stays itself, several are concatenated one level deep
            var context: JValue? = nil
            if entry.data.count == 1 {
                context = entry.data[0]
            } else if entry.data.count > 1 {
                var items: [JValue] = []
                for d in entry.data { if case .array(let a) = d { items.append(contentsOf: a.items) } else { items.append(d) } }
                context = .arr(items)
            }
            var frame = env
            if reduce {
                let tuple = reduceTupleStream(context)
                context = tuple.dict.removeValue(forKey: "@")
                frame = frameFromTuple(env, tuple)
            }
            if let value = try eval(pairs[entry.exprIndex].1, context, frame) {
                result[key] = value
            }
        }
        return .obj(result)
    }

    private func reduceTupleStream(_ stream: JValue?) -> JObject {
        guard let stream else { return JObject() }
        guard case .array(let a) = stream else {
            if case .object(let o) = stream { return JObject(o.dict) }
            return JObject()
        }
        let result = JObject()
        if let first = a.items.first, case .object(let o) = first { result.dict = o.dict }
        for item in a.items.dropFirst() {
            guard case .object(let o) = item else { continue }
            for (k, v) in o.dict { result.dict[k] = appendValues(result.dict[k], v) }
        }
        return result
    }
}
