// `$toMillis`: ISO 8601 timestamps without a picture, and any date/time picture with one. A picture
// becomes a regular expression with one group per part; the captured fields must form a date (Y-M-D or
// Y-d) and a time (H:m:s.f or h:m:s.f with am/pm); fields left of the first given one default to `now`,
// fields right of the last given one to their minimum, and a gap in between is error D3136.
import Foundation

private let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"]
private let dayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

private func escapeRegex(_ s: String) -> String {
    var out = ""
    for ch in s {
        if ".*+?^${}()|[]\\".contains(ch) { out.append("\\") }
        out.append(ch)
    }
    return out
}

func parseDateTime(_ timestamp: String, picture: String, now: Date) throws(JSONataError) -> Double? {
    let parts = try analyseDateTimePicture(picture)
    var regex = "^"
    var parsers: [(component: Character?, parse: (String) -> Double?)] = []
    for (index, part) in parts.enumerated() {
        let nextIsMarker: Bool = {
            guard index + 1 < parts.count, case .marker = parts[index + 1] else { return false }
            return true
        }()
        switch part {
        case .literal(let s):
            regex += escapeRegex(s)
        case .marker(let m):
            if m.component == "Z" || m.component == "z" {
                let format = m.integerFormat!
                let separator: String? = format.regular ? format.regularSeparator.character : nil
                var r = m.component == "z" ? "GMT" : ""
                r += "[-+][0-9]+"
                if let separator { r += escapeRegex(separator) + "[0-9]+" }
                regex += "(" + r + ")"
                let isZ = m.component == "z"
                parsers.append((m.component, { raw in
                    var value = raw
                    if isZ { value = String(value.dropFirst(3)) }
                    var hours = 0.0, minutes = 0.0
                    if let separator, let idx = value.range(of: separator) {
                        hours = Double(String(value[..<idx.lowerBound])) ?? 0
                        minutes = Double(String(value[idx.upperBound...])) ?? 0
                    } else {
                        let digits = value.count - 1
                        if digits <= 2 {
                            hours = Double(value) ?? 0
                        } else {
                            hours = Double(String(value.prefix(3))) ?? 0
                            minutes = Double(String(value.dropFirst(3))) ?? 0
                        }
                    }
                    return hours * 60 + minutes
                }))
            } else if let format = m.integerFormat {
                let matcher = try integerMatcher(format)
                var r = matcher.regex
                if nextIsMarker, format.primary == .decimal, r == "[0-9]+" { r = "[0-9]{\(format.mandatoryDigits)}" }
                regex += "(" + r + ")"
                parsers.append((m.component, matcher.parse))
            } else {
                var lookup: [String: Double] = [:]
                if m.component == "M" || m.component == "x" {
                    for (i, name) in monthNames.enumerated() {
                        lookup[(m.widthMax.map { String(name.prefix($0)) } ?? name).lowercased()] = Double(i + 1)
                    }
                } else if m.component == "F" {
                    for (i, name) in dayNames.enumerated() where i > 0 {
                        lookup[(m.widthMax.map { String(name.prefix($0)) } ?? name).lowercased()] = Double(i)
                    }
                } else if m.component == "P" {
                    lookup = ["am": 0, "pm": 1]
                } else {
                    throw JSONataError(code: "D3133", value: String(m.component))
                }
                regex += "([a-zA-Z]+)"
                parsers.append((m.component, { lookup[$0.lowercased()] }))
            }
        }
    }
    regex += "$"
    guard let re = try? NSRegularExpression(pattern: regex, options: [.caseInsensitive]),
          let match = re.firstMatch(in: timestamp, range: NSRange(location: 0, length: (timestamp as NSString).length)) else {
        return nil
    }
    var components: [Character: Double?] = [:]
    var any = false
    for i in 1..<match.numberOfRanges {
        let r = match.range(at: i)
        guard r.location != NSNotFound else { continue }
        let text = (timestamp as NSString).substring(with: r)
        let p = parsers[i - 1]
        any = true
        if let c = p.component { components[c] = p.parse(text) }
    }
    if !any { return nil }
    func has(_ c: Character) -> Bool { if let v = components[c], let x = v { return x != 0 } else { return false } }
    func isType(_ type: Int, _ mask: Int) -> Bool { (~type & mask) == 0 && (type & mask) != 0 }
    var mask = 0
    for c in "YXMxWwdD" { mask = (mask << 1) + (has(c) ? 1 : 0) }
    let dateA = isType(161, mask)
    let dateB = !dateA && isType(130, mask)
    let dateC = isType(84, mask)
    let dateD = !dateC && isType(72, mask)
    mask = 0
    for c in "PHhmsf" { mask = (mask << 1) + (has(c) ? 1 : 0) }
    let timeA = isType(23, mask)
    let timeB = !timeA && isType(47, mask)
    let dateComps = dateB ? "Yd" : dateC ? "XxwF" : dateD ? "XWF" : "YMD"
    let timeComps = timeB ? "Phmsf" : "Hmsf"
    let nowFields = UTCFields((now.timeIntervalSince1970 * 1000).rounded(.down))
    var startSpecified = false, endSpecified = false
    var values: [Character: Double] = [:]
    for (c, v) in components { if let v { values[c] = v } }
    for part in dateComps + timeComps {
        let defined = components[part].map { $0 != nil } ?? false
        if !defined {
            if startSpecified {
                values[part] = "MDd".contains(part) ? 1 : 0
                endSpecified = true
            } else {
                if case .number(let n) = dateComponent(nowFields, part) { values[part] = n }
                else if case .string(let s) = dateComponent(nowFields, part) { values[part] = s == "pm" ? 1 : 0 }
            }
        } else {
            startSpecified = true
            if endSpecified { throw JSONataError(code: "D3136") }
        }
    }
    for (k, v) in values where !v.isFinite || abs(v) > 1e9 { values[k] = 0 }
    var month = clampInt(values["M"] ?? 0, -1_000_000, 1_000_000)
    month = month > 0 ? month - 1 : 0
    var day = clampInt(values["D"] ?? 1, -1_000_000_000, 1_000_000_000)
    if dateB {
        let firstJan = utcMillis(clampInt(values["Y"] ?? 1970, -300_000, 300_000), 0, 1)
        let derived = UTCFields(firstJan + ((values["d"] ?? 1) - 1) * 86_400_000)
        month = derived.month - 1
        day = derived.day
    }
    if dateC || dateD { throw JSONataError(code: "D3136") }
    var hour = values["H"] ?? 0
    if timeB {
        let h = values["h"] ?? 0
        hour = h == 12 ? 0 : h
        if values["P"] == 1 { hour += 12 }
    }
    var millis = utcMillis(clampInt(values["Y"] ?? 1970, -300_000, 300_000), month, day, hour, values["m"] ?? 0, values["s"] ?? 0, values["f"] ?? 0)
    if let z = values["Z"] ?? values["z"], z != 0 { millis -= z * 60_000 }
    return millis
}

/// `Date.parse` for the ISO 8601 forms JSONata accepts; nil when the text is not one.
func parseISO8601(_ s: String) -> Double? {
    let pattern = "^(\\d{4})(?:-([01]\\d))?(?:-([0-3]\\d))?(?:T([0-2]\\d):([0-5]\\d)(?::([0-5]\\d))?(?:\\.(\\d+))?)?([+-][0-2]\\d:?[0-5]\\d|Z)?$"
    guard let re = try? NSRegularExpression(pattern: pattern),
          let m = re.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) else { return nil }
    func group(_ i: Int) -> String? {
        let r = m.range(at: i)
        return r.location == NSNotFound ? nil : (s as NSString).substring(with: r)
    }
    let year = Int(group(1)!)!
    let month = Int(group(2) ?? "1")!
    let day = Int(group(3) ?? "1")!
    let hour = Double(group(4) ?? "0")!
    let minute = Double(group(5) ?? "0")!
    let second = Double(group(6) ?? "0")!
    var ms = 0.0
    if let f = group(7) { ms = Double(String((f + "000").prefix(3)))! }
    guard month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 24 else { return .nan }
    var millis = utcMillis(year, month - 1, day, hour, minute, second, ms)
    if let tz = group(8), tz != "Z" {
        let sign: Double = tz.hasPrefix("-") ? -1 : 1
        let digits = tz.dropFirst().filter { $0 != ":" }
        let h = Double(String(digits.prefix(2)))!, mi = Double(String(digits.suffix(2)))!
        millis -= sign * (h * 60 + mi) * 60_000
    }
    return millis
}
