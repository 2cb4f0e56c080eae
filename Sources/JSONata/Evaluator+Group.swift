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

        var groups = OrderedDictionary<String, (data: JValue?, exprIndex: Int)>()
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
                if let existing = groups[k] {
                    if existing.exprIndex != pairIndex { throw jerr("D1009", key, position: position) }
                    groups[k] = (appendValues(existing.data, item), pairIndex)
                } else {
                    groups[k] = (item, pairIndex)
                }
            }
        }

        var result = OrderedDictionary<String, JValue>()
        for (key, entry) in groups {
            var context = entry.data
            var frame = env
            if reduce {
                let tuple = reduceTupleStream(entry.data)
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
