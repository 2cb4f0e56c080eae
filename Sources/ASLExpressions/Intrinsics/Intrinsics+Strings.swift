// States.Format and States.StringSplit. Format renders each argument the way AWS's Java runtime
// turns a value into text: strings as they are, `null`, numbers as Java prints them (`1.1`,
// `1.0E10`), objects as `{a=1, b=[]}` and arrays as `[1, x]` (Java's Map and List `toString`),
// which is what AWS returns for `States.Format('{}', $.object)`.

import BatonJSON

/// A `States.Format` template split at its `{}` placeholders; `\{` and `\}` are literal braces.
struct FormatTemplate: Sendable, Hashable {
    /// The literal text around the placeholders: one more piece than there are placeholders.
    let pieces: [String]

    var placeholderCount: Int { pieces.count - 1 }

    /// Splits `raw`, the template's text as written between the quotes (escapes still in place).
    init(raw: String) {
        var pieces: [String] = []
        var piece = String.UnicodeScalarView()
        let scalars = Array(raw.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\", i + 1 < scalars.count {
                let next = scalars[i + 1]
                switch next {
                case "'", "{", "}", "\\": piece.append(next)
                default:
                    piece.append(c)
                    piece.append(next)
                }
                i += 2
                continue
            }
            if c == "{", i + 1 < scalars.count, scalars[i + 1] == "}" {
                pieces.append(String(piece))
                piece = String.UnicodeScalarView()
                i += 2
                continue
            }
            piece.append(c)
            i += 1
        }
        pieces.append(String(piece))
        self.pieces = pieces
    }
}

extension IntrinsicCall {
    func format(_ values: [JSON]) throws(ASLError) -> JSON {
        let template = formatTemplate ?? FormatTemplate(raw: values[0].stringValue ?? "")
        let arguments = values.dropFirst()
        guard template.placeholderCount == arguments.count else {
            throw intrinsicFailure(.format, "the template has \(template.placeholderCount) placeholder(s) '{}' but \(arguments.count) argument(s) follow it")
        }
        var result = template.pieces[0]
        for (argument, piece) in zip(arguments, template.pieces.dropFirst()) {
            result += javaText(argument, nested: false)
            result += piece
        }
        return .string(result)
    }

    func stringSplit(_ values: [JSON]) throws(ASLError) -> JSON {
        let text = values[0].stringValue!
        let delimiters = Set(values[1].stringValue!.unicodeScalars)
        var parts: [JSON] = []
        var part = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if delimiters.contains(c) {
                if !part.isEmpty { parts.append(.string(String(part))) }
                part = String.UnicodeScalarView()
            } else {
                part.append(c)
            }
        }
        if !part.isEmpty { parts.append(.string(String(part))) }
        return .array(parts)
    }
}

/// A value as Java's `toString` would print the object AWS holds for it.
func javaText(_ value: JSON, nested: Bool) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return javaNumberText(n)
    case .string(let s): return s
    case .array(let a): return "[" + a.map { javaText($0, nested: true) }.joined(separator: ", ") + "]"
    case .object(let o): return "{" + o.map { "\($0.key)=\(javaText($0.value, nested: true))" }.joined(separator: ", ") + "}"
    }
}

/// A number as Java prints it: integers exactly, doubles as `Double.toString` does
/// (`1.0`, `0.001`, `1.0E7`, `1.5E-4`).
func javaNumberText(_ number: JSONNumber) -> String {
    switch number {
    case .int(let i): return String(i)
    case .double(let d): return javaDoubleText(d)
    }
}

func javaDoubleText(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Shortest round-tripping digits and decimal exponent, from Swift's own shortest form.
    let sign = d < 0 ? "-" : ""
    var text = "\(abs(d))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exponent = Int(text[text.index(after: e)...]) ?? 0
        text = String(text[..<e])
    }
    var digits = text.filter { $0 != "." }
    let pointIndex = (text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? text.count)
    // value = 0.digits × 10^(pointIndex + exponent) after removing leading zeros.
    var decimalPoint = pointIndex + exponent
    while digits.hasPrefix("0"), digits.count > 1 {
        digits.removeFirst()
        decimalPoint -= 1
    }
    while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
    let magnitude = abs(d)
    if magnitude >= 1e-3, magnitude < 1e7 {
        if decimalPoint <= 0 {
            return sign + "0." + String(repeating: "0", count: -decimalPoint) + digits
        }
        if decimalPoint >= digits.count {
            return sign + digits + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: decimalPoint)
        return sign + digits[..<split] + "." + digits[split...]
    }
    let first = digits.prefix(1)
    let rest = digits.dropFirst()
    return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(decimalPoint - 1)
}
