// $match, $contains, $replace and $split, with a string or a regular expression. Offsets are UTF-16
// code units, as in JavaScript. A regex that matches the empty string after the first match raises
// D1004 (it would never advance), as JSONata's matcher does.
import Foundation

struct RegexMatch {
    var match: String
    var start: Int
    var end: Int
    var groups: [String?]
}

func firstMatch(_ re: NSRegularExpression, in str: String, from: Int) -> RegexMatch? {
    let ns = str as NSString
    guard from <= ns.length, let m = re.firstMatch(in: str, options: [], range: NSRange(location: from, length: ns.length - from)) else {
        return nil
    }
    var groups: [String?] = []
    if m.numberOfRanges > 1 {
        for i in 1..<m.numberOfRanges {
            let r = m.range(at: i)
            groups.append(r.location == NSNotFound ? nil : ns.substring(with: r))
        }
    }
    return RegexMatch(match: ns.substring(with: m.range), start: m.range.location, end: m.range.location + m.range.length, groups: groups)
}

/// The successive matches of a regex function value (a regex literal or a custom matcher), up to `limit`.
func allMatches(_ matcher: JValue, _ str: String, limit: Int?, context: CallContext) throws(JSONataError) -> [RegexMatch] {
    guard case .function(let f) = matcher else { return [] }
    if case .regex(let node) = f.kind {
        let re = node.regex!
        let length = (str as NSString).length
        var results: [RegexMatch] = []
        var current = firstMatch(re, in: str, from: 0)
        while let m = current, limit == nil || results.count < limit! {
            results.append(m)
            let lastIndex = m.end
            if lastIndex >= length {
                current = nil
            } else {
                current = firstMatch(re, in: str, from: lastIndex)
                if let c = current, c.match.isEmpty {
                    throw JSONataError(code: "D1004", position: node.position, value: node.regexSource)
                }
            }
        }
        return results
    }
    // a custom matcher function: returns {match, start, end, groups, next}
    var results: [RegexMatch] = []
    var current = try context.evaluator.apply(matcher, [.string(str)], nil, context.frame)
    while let c = current, limit == nil || results.count < limit! {
        guard case .object(let o) = c, let m = o.dict["match"]?.asString,
              let start = o.dict["start"]?.asNumber, let end = o.dict["end"]?.asNumber else {
            throw JSONataError(code: "T1010", token: nil)
        }
        let groups = o.dict["groups"]?.asList.map { $0.asString } ?? []
        let length = (str as NSString).length
        results.append(RegexMatch(match: m, start: clampInt(start, 0, length), end: clampInt(end, 0, length), groups: groups))
        if let next = o.dict["next"], next.isFunction {
            current = try context.evaluator.apply(next, [], nil, context.frame)
        } else {
            current = nil
        }
    }
    return results
}

private func utf16Slice(_ s: String, _ from: Int, _ to: Int? = nil) -> String {
    let ns = s as NSString
    let end = Swift.min(to ?? ns.length, ns.length)
    guard from >= 0, from < end else { return "" }
    return ns.substring(with: NSRange(location: from, length: end - from))
}

private func limitArg(_ v: JValue?, _ code: String) throws(JSONataError) -> Int? {
    guard let v, let n = v.asNumber else { return nil }
    if n < 0 { throw jerr(code, v) }
    return n > Double(Int.max / 2) ? Int.max / 2 : Int(n.rounded(.up))
}

func registerRegexFunctions(_ b: inout LibraryBuilder) {
    b.add("match", "<s-f<s:o>n?:a<o>>") { args, ctx throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        let limit = try limitArg(args[arg: 2], "D3040")
        if limit == 0 { return .seq([]) }
        let matches = try allMatches(args[arg: 1] ?? .null, s, limit: limit, context: ctx)
        return .seq(matches.map { m in
            .obj(["match": .string(m.match), "index": .number(Double(m.start)),
                  "groups": .arr(m.groups.map { $0.map(JValue.string) ?? .null })])
        })
    }
    b.add("contains", "<s-(sf):b>") { args, ctx throws(JSONataError) in
        guard let s = args[arg: 0]?.asString, let token = args[arg: 1] else { return nil }
        if case .string(let t) = token { return .bool(t.isEmpty || s.contains(t)) }
        return .bool(!(try allMatches(token, s, limit: 1, context: ctx)).isEmpty)
    }
    b.add("replace", "<s-(sf)(sf)n?:s>") { args, ctx throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        guard let pattern = args[arg: 1] else { return nil }
        if case .string(let p) = pattern, p.isEmpty { throw jerr("D3010", pattern) }
        let limit = try limitArg(args[arg: 3], "D3011")
        guard let replacement = args[arg: 2] else { return nil }
        if limit == 0 { return .string(s) }
        if case .string(let p) = pattern {
            let ns = s as NSString
            var result = ""
            var position = 0
            var count = 0
            var r = ns.range(of: p, options: .literal, range: NSRange(location: 0, length: ns.length))
            while r.location != NSNotFound && (limit == nil || count < limit!) {
                result += ns.substring(with: NSRange(location: position, length: r.location - position))
                result += (try stringValue(replacement)) ?? ""
                position = r.location + r.length
                count += 1
                r = ns.range(of: p, options: .literal, range: NSRange(location: position, length: ns.length - position))
            }
            result += ns.substring(from: position)
            return .string(result)
        }
        let matches = try allMatches(pattern, s, limit: limit, context: ctx)
        if matches.isEmpty { return .string(s) }
        var result = ""
        var position = 0
        for m in matches {
            result += utf16Slice(s, position, m.start)
            if case .string(let template) = replacement {
                result += substitute(template, m)
            } else {
                let matchObject: JValue = .obj([
                    "match": .string(m.match), "start": .number(Double(m.start)), "end": .number(Double(m.end)),
                    "groups": .arr(m.groups.map { $0.map(JValue.string) ?? .null }),
                ])
                let replaced = try ctx.evaluator.apply(replacement, [matchObject], nil, ctx.frame)
                guard let r = replaced, case .string(let rs) = r else { throw jerr("D3012", replaced) }
                result += rs
            }
            position = m.start + (m.match as NSString).length
        }
        result += utf16Slice(s, position)
        return .string(result)
    }
    b.add("split", "<s-(sf)n?:a<s>>") { args, ctx throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        let limit = try limitArg(args[arg: 2], "D3020")
        if limit == 0 { return .arr([]) }
        guard let sep = args[arg: 1] else { return nil }
        var parts: [String] = []
        if case .string(let p) = sep {
            if p.isEmpty {
                parts = s.unicodeScalars.map { String($0) }
            } else {
                parts = s.components(separatedBy: p)
            }
            if let n = args[arg: 2]?.asNumber, Double(parts.count) > n.rounded(.down) { parts = Array(parts.prefix(Int(n))) }
        } else {
            let matches = try allMatches(sep, s, limit: limit, context: ctx)
            if matches.isEmpty {
                parts = [s]
            } else {
                var start = 0
                for m in matches {
                    parts.append(utf16Slice(s, start, m.start))
                    start = m.end
                }
                if limit == nil || matches.count < limit! { parts.append(utf16Slice(s, start)) }
            }
        }
        return .arr(parts.map(JValue.string))
    }
}

/// Expands `$0`, `$1`…, `$$` in a replacement string the way JSONata does.
private func substitute(_ replacement: String, _ m: RegexMatch) -> String {
    let chars = Array(replacement)
    var out = ""
    var position = 0
    func indexOfDollar(_ from: Int) -> Int? {
        var i = from
        while i < chars.count { if chars[i] == "$" { return i }; i += 1 }
        return nil
    }
    var index = indexOfDollar(0)
    while let idx = index, position < chars.count {
        out += String(chars[position..<idx])
        position = idx + 1
        let next: Character? = position < chars.count ? chars[position] : nil
        if next == "$" {
            out += "$"
            position += 1
        } else if next == "0" {
            out += m.match
            position += 1
        } else {
            let maxDigits = m.groups.isEmpty ? 1 : Int(floor(log10(Double(m.groups.count)))) + 1
            func parse(_ n: Int) -> Int? {
                var digits = ""
                var i = position
                while i < chars.count && i < position + n, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
                return Int(digits)
            }
            var group = parse(maxDigits)
            if maxDigits > 1, let g = group, g > m.groups.count { group = parse(maxDigits - 1) }
            if let g = group {
                if !m.groups.isEmpty, g >= 1, g <= m.groups.count, let sub = m.groups[g - 1] { out += sub }
                position += String(g).count
            } else {
                out += "$"
            }
        }
        index = indexOfDollar(position)
    }
    if position < chars.count { out += String(chars[position...]) }
    return out
}
