// Numbers as JavaScript writes them. JSONata's output and `$string` follow `Number.prototype.toString`:
// the shortest digits that read back as the same double (Swift's `description` finds those), laid out
// with JavaScript's rules (`1e+21`, `1e-7`, `0.000001`, integers without `.0`).
import Foundation

/// The shortest round-trip decimal digits of a finite, positive double and its decimal point position:
/// value = 0.d1d2d3… × 10^point.
func shortestDigits(_ x: Double) -> (digits: [UInt8], point: Int) {
    let text = x.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[text.startIndex..<e]
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var digits: [UInt8] = []
    var point = 0
    var seenPoint = false
    for ch in mantissa.utf8 {
        if ch == UInt8(ascii: ".") { seenPoint = true; continue }
        digits.append(ch - 48)
        if !seenPoint { point += 1 }
    }
    // strip leading zeros
    var lead = 0
    while lead < digits.count - 1 && digits[lead] == 0 { lead += 1; point -= 1 }
    digits.removeFirst(lead)
    while digits.count > 1 && digits.last == 0 { digits.removeLast() }
    return (digits, point + exponent)
}

/// JavaScript's `Number.prototype.toString()` for a double.
func jsNumberString(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x == 0 { return "0" }
    if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
    if x < 0 { return "-" + jsNumberString(-x) }
    if x < 9.007199254740992e15, x == x.rounded(.towardZero) { return String(Int64(x)) }
    let (digits, n) = shortestDigits(x)
    let k = digits.count
    var s = ""
    func d(_ i: Int) -> Character { Character(Unicode.Scalar(digits[i] + 48)) }
    if k <= n && n <= 21 {
        for i in 0..<k { s.append(d(i)) }
        s += String(repeating: "0", count: n - k)
    } else if 0 < n && n <= 21 {
        for i in 0..<n { s.append(d(i)) }
        s.append(".")
        for i in n..<k { s.append(d(i)) }
    } else if -6 < n && n <= 0 {
        s = "0." + String(repeating: "0", count: -n)
        for i in 0..<k { s.append(d(i)) }
    } else {
        s.append(d(0))
        if k > 1 {
            s.append(".")
            for i in 1..<k { s.append(d(i)) }
        }
        let e = n - 1
        s += e >= 0 ? "e+\(e)" : "e-\(-e)"
    }
    return s
}

/// `Number(x.toPrecision(15))`: the double rounded to 15 significant digits.
func roundTo15(_ x: Double) -> Double {
    guard x.isFinite, x != 0 else { return x }
    let text = String(format: "%.14e", x)
    return Double(text) ?? x
}

/// JavaScript's `Number.prototype.toFixed`-free integer check (`Number.isInteger`).
func isJSInteger(_ x: Double) -> Bool { x.isFinite && x.rounded(.towardZero) == x }

/// A double as an `Int` clamped to `lo...hi` (NaN gives `lo`): for numbers from expressions used as counts
/// or indexes, which must never trap.
func clampInt(_ d: Double, _ lo: Int, _ hi: Int) -> Int {
    guard !d.isNaN else { return lo }
    if d <= Double(lo) { return lo }
    if d >= Double(hi) { return hi }
    return Int(d)
}
