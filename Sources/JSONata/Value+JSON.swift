// Converting between JSONata values and BatonJSON's `JSON` at the module boundary.
import BatonJSON
import OrderedCollections

extension JValue {
    init(json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n.doubleValue)
        case .string(let s): self = .string(s)
        case .array(let a): self = .arr(a.map(JValue.init(json:)))
        case .object(let o):
            // the keys of a JSON object are unique already
            self = .obj(OrderedDictionary(uncheckedUniqueKeys: o.keys, values: o.values.map(JValue.init(json:))))
        }
    }

    /// The JSON form: doubles that are whole and exact become integers; functions become `""`
    /// at the top level and are left out of objects (as `JSON.stringify` does); non-finite numbers become null.
    func toJSON() -> JSON {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(jsonNumber(n))
        case .string(let s): return .string(s)
        case .function: return .string("")
        case .array(let a):
            return .array(a.items.map { item in item.isFunction ? .null : item.toJSON() })
        case .object(let o):
            if !o.dict.values.contains(where: \.isFunction) {
                return .object(JSONObject(uncheckedUniqueKeys: o.dict.keys, values: o.dict.values.map { $0.toJSON() }))
            }
            var d = JSONObject()
            d.reserveCapacity(o.dict.count)
            for (k, v) in o.dict where !v.isFunction { d[k] = v.toJSON() }
            return .object(d)
        }
    }
}

func jsonNumber(_ n: Double) -> JSONNumber {
    if n.isFinite && n.rounded(.towardZero) == n && abs(n) < 9.007199254740992e15 {
        return .int(Int64(n))
    }
    return .double(n)
}
