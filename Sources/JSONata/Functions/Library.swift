// The built-in function library: every function with its JSONata signature. Each family lives in its
// own file and adds its functions here.

/// Builds the table of built-in functions.
struct LibraryBuilder {
    var table: [String: JFunction] = [:]

    mutating func add(_ name: String, _ signature: String?, arity: Int? = nil, _ body: @escaping NativeFunction.Body) {
        let sig = signature.map { try! Signature($0) }
        let native = NativeFunction(name: name, signature: sig, arity: arity ?? sig?.arity ?? 0, body: body)
        table[name] = JFunction(.native(native), signature: sig)
    }
}

nonisolated(unsafe) let builtinFunctions: [String: JFunction] = {
    var b = LibraryBuilder()
    registerStringFunctions(&b)
    registerRegexFunctions(&b)
    registerNumericFunctions(&b)
    registerAggregationFunctions(&b)
    registerBooleanFunctions(&b)
    registerArrayFunctions(&b)
    registerObjectFunctions(&b)
    registerHigherOrderFunctions(&b)
    registerEncodingFunctions(&b)
    registerDateTimeFunctions(&b)
    registerFormatFunctions(&b)
    return b.table
}()

extension Array where Element == JValue? {
    /// The argument at `i`, nil when missing or undefined.
    subscript(arg i: Int) -> JValue? { i < count ? self[i] : nil }
}

/// `$string`'s conversion (nil for undefined).
func stringValue(_ v: JValue?, pretty: Bool = false) throws(JSONataError) -> String? {
    guard var v else { return nil }
    switch v {
    case .string(let s): return s
    case .function: return ""
    case .number(let n):
        if !n.isFinite { throw jerr("D3001", v) }
        return jsNumberString(roundTo15(n))
    default:
        if case .array(let a) = v, a.outerWrapper, let first = a.items.first { v = first }
        if let bad = firstNonFinite(v) { throw jerr("D1001", .number(bad)) }
        return jsonStringify(v, pretty: pretty, roundNumbers: true)
    }
}

/// JavaScript truthiness (used where JSONata relies on it, such as `$sort`'s comparator and `$assert`).
func jsTruthy(_ v: JValue?) -> Bool {
    guard let v else { return false }
    switch v {
    case .null: return false
    case .bool(let b): return b
    case .number(let n): return n != 0 && !n.isNaN
    case .string(let s): return !s.isEmpty
    default: return true
    }
}

extension CallContext {
    /// Calls `f` with as many of `args` as it takes (JSONata's rule for callbacks of higher-order functions).
    func callback(_ f: JValue, _ args: [JValue?]) throws(JSONataError) -> JValue? {
        let arity = f.asFunction?.arity ?? args.count
        return try evaluator.apply(f, Array(args.prefix(Swift.max(arity, 1))), nil, frame)
    }
}

private func firstNonFinite(_ v: JValue) -> Double? {
    switch v {
    case .number(let n): return n.isFinite ? nil : n
    case .array(let a): for i in a.items { if let b = firstNonFinite(i) { return b } }
    case .object(let o): for (_, i) in o.dict { if let b = firstNonFinite(i) { return b } }
    default: break
    }
    return nil
}
