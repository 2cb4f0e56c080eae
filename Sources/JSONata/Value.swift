// JSONata's own value model. It mirrors the JavaScript values the reference implementation works on:
// numbers are doubles, arrays and objects are references (a transform mutates the clone it made,
// grouping appends to arrays it built), and arrays carry the flags JSONata uses for its sequence and
// flattening rules. "Undefined" is Swift's `nil` (`JValue?`).
import OrderedCollections

/// A JSONata value (internal).
enum JValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array(JArray)
    case object(JObject)
    case function(JFunction)
}

/// A JSONata array: the items and the flags of the sequence rules.
final class JArray {
    var items: [JValue]
    /// A sequence: the result of a path step, collapsed to its single item when it has one.
    var isSequence = false
    /// A singleton sequence that must stay an array (`[]` after a step).
    var keepSingleton = false
    /// Built by an array constructor `[ … ]` at the start or end of a path: not flattened.
    var cons = false
    /// The wrapper JSONata puts around an input document that is an array.
    var outerWrapper = false
    /// A stream of tuples (objects with `@` and bound variables) used by `@`, `#` and `%`.
    var tupleStream = false

    init(_ items: [JValue] = [], sequence: Bool = false) {
        self.items = items
        self.isSequence = sequence
    }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
}

/// A JSONata object: members in insertion order.
final class JObject {
    var dict: OrderedDictionary<String, JValue>
    init(_ dict: OrderedDictionary<String, JValue> = [:]) { self.dict = dict }
    subscript(key: String) -> JValue? {
        get { dict[key] }
        set { dict[key] = newValue }
    }
}

extension JValue {
    static func seq(_ items: [JValue] = []) -> JValue { .array(JArray(items, sequence: true)) }
    static func arr(_ items: [JValue]) -> JValue { .array(JArray(items)) }
    static func obj(_ dict: OrderedDictionary<String, JValue>) -> JValue { .object(JObject(dict)) }

    var isArray: Bool { if case .array = self { return true } else { return false } }
    var asArray: JArray? { if case .array(let a) = self { return a } else { return nil } }
    var asObject: JObject? { if case .object(let o) = self { return o } else { return nil } }
    var asString: String? { if case .string(let s) = self { return s } else { return nil } }
    var asNumber: Double? { if case .number(let n) = self { return n } else { return nil } }
    var asFunction: JFunction? { if case .function(let f) = self { return f } else { return nil } }
    var isFunction: Bool { if case .function = self { return true } else { return false } }
    var isSequence: Bool { if case .array(let a) = self { return a.isSequence } else { return false } }

    /// The one-letter type symbol used by function signatures.
    var symbol: Character {
        switch self {
        case .null: "l"
        case .bool: "b"
        case .number: "n"
        case .string: "s"
        case .array: "a"
        case .object: "o"
        case .function: "f"
        }
    }

    /// JSONata's `$type` name.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .function: "function"
        }
    }

    /// The items when this is an array, or the value itself as a one-item list.
    var asList: [JValue] {
        if case .array(let a) = self { return a.items }
        return [self]
    }
}

/// Wraps a value in a sequence unless it is an array already (`undefined` gives an empty sequence).
func toSequence(_ value: JValue?) -> JArray {
    guard let value else { return JArray([], sequence: true) }
    if case .array(let a) = value { return a }
    return JArray([value], sequence: true)
}

/// JavaScript-style deep equality of two defined values (functions by identity).
func deepEqual(_ a: JValue, _ b: JValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)):
        if x === y { return true }
        guard x.items.count == y.items.count else { return false }
        for i in 0..<x.items.count where !deepEqual(x.items[i], y.items[i]) { return false }
        return true
    case let (.object(x), .object(y)):
        if x === y { return true }
        guard x.dict.count == y.dict.count else { return false }
        for (k, v) in x.dict {
            guard let w = y.dict[k], deepEqual(v, w) else { return false }
        }
        return true
    case let (.function(x), .function(y)): return x === y
    default: return false
    }
}

/// JavaScript's `===`: primitives by value, containers by identity.
func strictEqual(_ a: JValue, _ b: JValue) -> Bool {
    switch (a, b) {
    case let (.array(x), .array(y)): return x === y
    case let (.object(x), .object(y)): return x === y
    default: return deepEqual(a, b)
    }
}

/// `fn.append`: concatenates two values into a new (non-sequence) array; `undefined` is ignored.
func appendValues(_ a: JValue?, _ b: JValue?) -> JValue? {
    guard let a else { return b }
    guard let b else { return a }
    var items: [JValue]
    if case .array(let x) = a { items = x.items } else { items = [a] }
    if case .array(let y) = b { items.append(contentsOf: y.items) } else { items.append(b) }
    if case .array(let x) = a, !x.isSequence {
        // JavaScript's concat keeps no flags either way
    }
    return .arr(items)
}

/// Deep-copies arrays and objects (used by `$clone` and transforms).
func deepCopy(_ value: JValue) -> JValue {
    switch value {
    case .array(let a):
        let c = JArray(a.items.map(deepCopy), sequence: a.isSequence)
        return .array(c)
    case .object(let o):
        var d = OrderedDictionary<String, JValue>()
        d.reserveCapacity(o.dict.count)
        for (k, v) in o.dict { d[k] = deepCopy(v) }
        return .obj(d)
    default: return value
    }
}

/// Flattens nested arrays into one list.
func flattenValue(_ value: JValue, into out: inout [JValue]) {
    if case .array(let a) = value {
        for item in a.items { flattenValue(item, into: &out) }
    } else {
        out.append(value)
    }
}
