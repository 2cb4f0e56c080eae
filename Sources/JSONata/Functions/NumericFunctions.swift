// Numeric functions: $number, $abs, $floor, $ceil, $round (half to even, with precision), $power,
// $sqrt, $random, $formatBase.
import Foundation

func registerNumericFunctions(_ b: inout LibraryBuilder) {
    b.add("number", "<(nsb)-:n>") { args, _ throws(JSONataError) in
        guard let v = args[arg: 0] else { return nil }
        switch v {
        case .number: return v
        case .bool(let x): return .number(x ? 1 : 0)
        case .string(let s):
            if let n = parseJSNumberLiteral(s) { return .number(n) }
            throw jerr("D3030", v)
        default: throw jerr("D3030", v)
        }
    }
    b.add("abs", "<n-:n>") { args, _ throws(JSONataError) in args[arg: 0]?.asNumber.map { .number(abs($0)) } }
    b.add("floor", "<n-:n>") { args, _ throws(JSONataError) in args[arg: 0]?.asNumber.map { .number(Foundation.floor($0)) } }
    b.add("ceil", "<n-:n>") { args, _ throws(JSONataError) in args[arg: 0]?.asNumber.map { .number(Foundation.ceil($0)) } }
    b.add("round", "<n-n?:n>") { args, _ throws(JSONataError) in
        guard let x = args[arg: 0]?.asNumber else { return nil }
        return .number(jsonataRound(x, clampInt(args[arg: 1]?.asNumber ?? 0, -400, 400)))
    }
    b.add("sqrt", "<n-:n>") { args, _ throws(JSONataError) in
        guard let x = args[arg: 0]?.asNumber else { return nil }
        if x < 0 { throw jerr("D3060", .number(x)) }
        return .number(x.squareRoot())
    }
    b.add("power", "<n-n:n>") { args, _ throws(JSONataError) in
        guard let x = args[arg: 0]?.asNumber, let y = args[arg: 1]?.asNumber else { return nil }
        let r = pow(x, y)
        if !r.isFinite { throw jerr("D3061", .number(x)) }
        return .number(r)
    }
    b.add("random", "<:n>") { _, ctx throws(JSONataError) in
        .number(Double(ctx.evaluator.random.next() >> 11) / Double(1 << 53))
    }
    b.add("formatBase", "<n-n?:s>") { args, _ throws(JSONataError) in
        guard let x = args[arg: 0]?.asNumber else { return nil }
        let value = jsonataRound(x, 0)
        let radix = args[arg: 1]?.asNumber ?? 10
        if !(radix >= 2 && radix <= 36) { throw jerr("D3100", .number(radix)) }
        let r = Int(radix)
        if abs(value) < 9.2e18 {
            return .string(String(Int64(value), radix: r))
        }
        return .string(jsNumberString(value))
    }
}

/// JSONata's `$round`: half to even, with the decimal shift done on the decimal text.
func jsonataRound(_ arg: Double, _ precision: Int) -> Double {
    var x = arg
    if precision != 0 {
        x = shiftDecimal(x, precision)
    }
    var result = (x + 0.5).rounded(.down)
    let diff = result - x
    if abs(diff) == 0.5 && abs(result.truncatingRemainder(dividingBy: 2)) == 1 {
        result -= 1
    }
    if precision != 0 {
        result = shiftDecimal(result, -precision)
    }
    if result == 0 { result = 0 }
    return result
}

private func shiftDecimal(_ x: Double, _ by: Int) -> Double {
    let text = jsNumberString(x)
    let parts = text.split(separator: "e", maxSplits: 1)
    let exp = parts.count > 1 ? (Int(parts[1]) ?? 0) + by : by
    return Double("\(parts[0])e\(exp)") ?? x
}

/// `$number`'s reading of a string: a JSON-style decimal or a 0x/0o/0b integer.
func parseJSNumberLiteral(_ s: String) -> Double? {
    let u = Array(s.utf8)
    if u.count > 2 && u[0] == UInt8(ascii: "0") {
        let radix: Int? = switch u[1] {
        case UInt8(ascii: "x"), UInt8(ascii: "X"): 16
        case UInt8(ascii: "o"), UInt8(ascii: "O"): 8
        case UInt8(ascii: "b"), UInt8(ascii: "B"): 2
        default: nil
        }
        if let radix {
            var v = 0.0
            for c in s.dropFirst(2) {
                guard let d = c.hexDigitValue, d < radix else { return nil }
                v = v * Double(radix) + Double(d)
            }
            return v
        }
    }
    var i = 0
    func digits() -> Int { let st = i; while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }; return i - st }
    if i < u.count && u[i] == UInt8(ascii: "-") { i += 1 }
    if digits() == 0 { return nil }
    if i < u.count && u[i] == UInt8(ascii: ".") { i += 1; if digits() == 0 { return nil } }
    if i < u.count && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
        i += 1
        if i < u.count && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) { i += 1 }
        if digits() == 0 { return nil }
    }
    guard i == u.count, let v = Double(s), v.isFinite else { return nil }
    return v
}
