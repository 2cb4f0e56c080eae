// String functions: $string, $substring, $substringBefore/After, $lowercase, $uppercase, $length,
// $trim, $pad, $join. Lengths and offsets count Unicode code points, as JSONata does.

func registerStringFunctions(_ b: inout LibraryBuilder) {
    b.add("string", "<x-b?:s>", arity: 1) { args, _ throws(JSONataError) in
        try stringValue(args[arg: 0], pretty: args[arg: 1]?.asBool ?? false).map(JValue.string)
    }
    b.add("substring", "<s-nn?:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        let chars = Array(s.unicodeScalars)
        var start = args[arg: 1]?.asNumber ?? 0
        let n = Double(chars.count)
        if n + start < 0 { start = 0 }
        if let length = args[arg: 2]?.asNumber {
            if length <= 0 { return .string("") }
            let end = start >= 0 ? start + length : n + start + length
            return .string(sliceScalars(chars, start, end))
        }
        return .string(sliceScalars(chars, start, n))
    }
    b.add("substringBefore", "<s-s:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString, let chars = args[arg: 1]?.asString else { return args[arg: 0] }
        if chars.isEmpty { return .string("") }
        guard let r = s.range(of: chars) else { return .string(s) }
        return .string(String(s[..<r.lowerBound]))
    }
    b.add("substringAfter", "<s-s:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString, let chars = args[arg: 1]?.asString else { return args[arg: 0] }
        if chars.isEmpty { return .string(s) }
        guard let r = s.range(of: chars) else { return .string(s) }
        return .string(String(s[r.upperBound...]))
    }
    b.add("lowercase", "<s-:s>") { args, _ throws(JSONataError) in
        args[arg: 0]?.asString.map { .string($0.lowercased()) }
    }
    b.add("uppercase", "<s-:s>") { args, _ throws(JSONataError) in
        args[arg: 0]?.asString.map { .string($0.uppercased()) }
    }
    b.add("length", "<s-:n>") { args, _ throws(JSONataError) in
        args[arg: 0]?.asString.map { .number(Double($0.unicodeScalars.count)) }
    }
    b.add("trim", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        var out = String.UnicodeScalarView()
        var inSpace = false
        for u in s.unicodeScalars {
            if u == " " || u == "\t" || u == "\n" || u == "\r" {
                if !inSpace { out.append(" ") }
                inSpace = true
            } else {
                out.append(u)
                inSpace = false
            }
        }
        var r = String(out)
        if r.hasPrefix(" ") { r.removeFirst() }
        if r.hasSuffix(" ") { r.removeLast() }
        return .string(r)
    }
    b.add("pad", "<s-ns?:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString, let w = args[arg: 1]?.asNumber else { return args[arg: 0] }
        var padChar = args[arg: 2]?.asString ?? " "
        if padChar.isEmpty { padChar = " " }
        let width = w.rounded(.towardZero)
        if abs(width) > 1e8 { throw jerr("D1001", .number(width)) }
        let padLength = Int(abs(width)) - s.unicodeScalars.count
        guard padLength > 0 else { return .string(s) }
        var padding = String(repeating: padChar, count: padLength)
        if padChar.unicodeScalars.count > 1 { padding = sliceScalars(Array(padding.unicodeScalars), 0, Double(padLength)) }
        return .string(width > 0 ? s + padding : padding + s)
    }
    b.add("join", "<a<s>s?:s>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        let sep = args[arg: 1]?.asString ?? ""
        return .string(a.asList.compactMap(\.asString).joined(separator: sep))
    }
}

/// JavaScript's `Array.prototype.slice` over code points, joined back into a string.
func sliceScalars(_ chars: [Unicode.Scalar], _ start: Double, _ end: Double) -> String {
    let n = chars.count
    func clamp(_ x: Double) -> Int {
        if x.isNaN { return 0 }
        let t = x.rounded(.towardZero)
        if t < 0 { return Swift.max(n + Int(Swift.max(t, -Double(n) - 1)), 0) }
        return Swift.min(Int(Swift.min(t, Double(n))), n)
    }
    let s = clamp(start), e = clamp(end)
    guard s < e else { return "" }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: chars[s..<e])
    return String(out)
}

extension JValue {
    var asBool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}
