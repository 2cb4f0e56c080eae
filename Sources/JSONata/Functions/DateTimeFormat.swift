// Date/time pictures (XPath F&O 3.1 `format-dateTime`) for `$fromMillis` and `$toMillis`: `[Y0001]`,
// `[MNn,3-3]`, `[FNn]`, `[h]:[m01][P]`, `[Z01:01t]`… All arithmetic is in UTC; a timezone offset only
// shifts the instant before it is broken into fields, as JSONata does.
import Foundation

private let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"]
private let dayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
private let defaultPresentation: [Character: String] = [
    "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1", "H": "1", "h": "1",
    "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01", "C": "n", "E": "n",
]

struct DateMarker {
    var component: Character
    var widthMin: Int?
    var widthMax: Int?
    var hasWidth = false
    var presentation1 = ""
    var presentation2: Character?
    var names: IntegerPicture.Case?
    var integerFormat: IntegerPicture?
    var n = -1
}

enum DatePart {
    case literal(String)
    case marker(DateMarker)
}

func analyseDateTimePicture(_ picture: String) throws(JSONataError) -> [DatePart] {
    var parts: [DatePart] = []
    let chars = Array(picture)
    func addLiteral(_ start: Int, _ end: Int) {
        if end > start {
            parts.append(.literal(String(chars[start..<end]).replacingOccurrences(of: "]]", with: "]")))
        }
    }
    var start = 0, pos = 0
    while pos < chars.count {
        if chars[pos] == "[" {
            if pos + 1 < chars.count && chars[pos + 1] == "[" {
                addLiteral(start, pos)
                parts.append(.literal("["))
                pos += 2
                start = pos
                continue
            }
            addLiteral(start, pos)
            start = pos
            guard let close = chars[start...].firstIndex(of: "]") else { throw JSONataError(code: "D3135") }
            pos = close
            let marker = String(chars[(start + 1)..<pos]).filter { !$0.isWhitespace }
            var def = DateMarker(component: marker.first ?? " ")
            var presMod: String
            if let comma = marker.lastIndex(of: ",") {
                let widthMod = String(marker[marker.index(after: comma)...])
                func parseWidth(_ s: String?) -> Int? {
                    guard let s, s != "*" else { return nil }
                    return Int(s.prefix { $0.isNumber })
                }
                if let dash = widthMod.firstIndex(of: "-") {
                    def.widthMin = parseWidth(String(widthMod[..<dash]))
                    def.widthMax = parseWidth(String(widthMod[widthMod.index(after: dash)...]))
                } else {
                    def.widthMin = parseWidth(widthMod)
                }
                def.hasWidth = true
                presMod = String(marker[marker.index(after: marker.startIndex)..<comma])
            } else {
                presMod = String(marker.dropFirst())
            }
            if presMod.count == 1 {
                def.presentation1 = presMod
            } else if presMod.count > 1 {
                let last = presMod.last!
                if "atco".contains(last) {
                    def.presentation2 = last
                    def.presentation1 = String(presMod.dropLast())
                } else {
                    def.presentation1 = presMod
                }
            } else {
                guard let p = defaultPresentation[def.component] else {
                    throw JSONataError(code: "D3132", value: String(def.component))
                }
                def.presentation1 = p
            }
            let p1 = Array(def.presentation1)
            if p1.first == "n" {
                def.names = .lower
            } else if p1.first == "N" {
                def.names = p1.count > 1 && p1[1] == "n" ? .title : .upper
            } else if "YMDdFWwXxHhmsf".contains(def.component) {
                var integerPattern = def.presentation1
                if let p2 = def.presentation2 { integerPattern += ";" + String(p2) }
                var format = try analyseIntegerPicture(integerPattern)
                if let min = def.widthMin, format.mandatoryDigits < min { format.mandatoryDigits = min }
                if def.component == "Y" {
                    def.n = -1
                    if let max = def.widthMax {
                        def.n = max
                        format.mandatoryDigits = max
                    } else {
                        let w = format.mandatoryDigits + format.optionalDigits
                        if w >= 2 { def.n = w }
                    }
                }
                def.integerFormat = format
            }
            if def.component == "Z" || def.component == "z" {
                def.integerFormat = try analyseIntegerPicture(def.presentation1)
            }
            parts.append(.marker(def))
            start = pos + 1
        }
        pos += 1
    }
    addLiteral(start, pos)
    return parts
}

// MARK: calendar arithmetic (proleptic Gregorian, UTC)

func daysFromCivil(_ y0: Int, _ m0: Int, _ d: Int) -> Int {
    // m0 is zero-based and may be out of range (normalised as Date.UTC does)
    let y = y0 + Int(floor(Double(m0) / 12))
    let m = ((m0 % 12) + 12) % 12 + 1
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

/// `Date.UTC(y, m, d, h, mi, s, ms)` with a zero-based month.
func utcMillis(_ y: Int, _ m: Int, _ d: Int, _ h: Double = 0, _ mi: Double = 0, _ s: Double = 0, _ ms: Double = 0) -> Double {
    Double(daysFromCivil(y, m, d)) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms
}

struct UTCFields {
    let millis: Double
    let year: Int, month: Int, day: Int // month 1-12
    let hour: Int, minute: Int, second: Int, milli: Int
    let weekday: Int // 0 = Sunday

    init(_ millis: Double) {
        self.millis = millis
        let days = Int(floor(millis / 86_400_000))
        let rem = Int(millis - Double(days) * 86_400_000)
        (year, month, day) = civilFromDays(days)
        hour = rem / 3_600_000
        minute = rem / 60_000 % 60
        second = rem / 1000 % 60
        milli = rem % 1000
        weekday = ((days % 7) + 7 + 4) % 7
    }
}

private func startOfFirstWeek(_ year: Int, _ month: Int) -> Double {
    let first = utcMillis(year, month, 1)
    var dow = UTCFields(first).weekday
    if dow == 0 { dow = 7 }
    return dow > 4 ? first + Double(8 - dow) * 86_400_000 : first - Double(dow - 1) * 86_400_000
}

private func deltaWeeks(_ start: Double, _ end: Double) -> Double { (end - start) / (86_400_000 * 7) + 1 }

/// The value of one date/time component (`Y`, `M`, …) of an instant.
func dateComponent(_ f: UTCFields, _ component: Character) -> JValue {
    switch component {
    case "Y": return .number(Double(f.year))
    case "M": return .number(Double(f.month))
    case "D": return .number(Double(f.day))
    case "d": return .number(Double(daysFromCivil(f.year, f.month - 1, f.day) - daysFromCivil(f.year, 0, 1) + 1))
    case "F": return .number(Double(f.weekday == 0 ? 7 : f.weekday))
    case "W", "X":
        let start1 = startOfFirstWeek(f.year, 0)
        let startNext = startOfFirstWeek(f.year + 1, 0)
        if f.millis < start1 {
            return component == "W" ? .number(floor(deltaWeeks(startOfFirstWeek(f.year - 1, 0), f.millis))) : .number(Double(f.year - 1))
        } else if f.millis >= startNext {
            return component == "W" ? .number(floor(deltaWeeks(startNext, f.millis))) : .number(Double(f.year + 1))
        }
        return component == "W" ? .number(floor(deltaWeeks(start1, f.millis))) : .number(Double(f.year))
    case "w", "x":
        let m = f.month - 1
        let start1 = startOfFirstWeek(f.year, m)
        let (ny, nm) = m == 11 ? (f.year + 1, 0) : (f.year, m + 1)
        let startNext = startOfFirstWeek(ny, nm)
        if f.millis < start1 {
            let (py, pm) = m == 0 ? (f.year - 1, 11) : (f.year, m - 1)
            return component == "w" ? .number(floor(deltaWeeks(startOfFirstWeek(py, pm), f.millis))) : .number(Double(pm + 1))
        } else if f.millis >= startNext {
            return component == "w" ? .number(1) : .number(Double(nm + 1))
        }
        return component == "w" ? .number(floor(deltaWeeks(start1, f.millis))) : .number(Double(m + 1))
    case "H": return .number(Double(f.hour))
    case "h":
        let h = f.hour % 12
        return .number(Double(h == 0 ? 12 : h))
    case "P": return .string(f.hour >= 12 ? "pm" : "am")
    case "m": return .number(Double(f.minute))
    case "s": return .number(Double(f.second))
    case "f": return .number(Double(f.milli))
    case "C", "E": return .string("ISO")
    default: return .null
    }
}

private let iso8601Picture = try! analyseDateTimePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")

/// The range of instants JavaScript's `Date` can represent (±100,000,000 days from the epoch).
let maximumDateMillis = 8.64e15

func formatDateTime(_ millis: Double, picture: String?, timezone: String?) throws(JSONataError) -> String {
    guard millis.isFinite, abs(millis) <= maximumDateMillis else { throw jerr("D3110", .number(millis)) }
    var offsetHours = 0, offsetMinutes = 0
    if let timezone {
        let offset = Int(timezone.prefix { $0.isNumber || $0 == "-" || $0 == "+" }) ?? 0
        offsetHours = Int((Double(offset) / 100).rounded(.down))
        offsetMinutes = offset % 100
    }
    let parts = try picture.map(analyseDateTimePicture) ?? iso8601Picture
    let shifted = millis + Double((offsetHours * 60 + offsetMinutes) * 60_000)
    let fields = UTCFields(shifted)
    var result = ""
    for part in parts {
        switch part {
        case .literal(let s): result += s
        case .marker(let m): result += try formatComponent(fields, m, offsetHours, offsetMinutes)
        }
    }
    return result
}

private func formatComponent(_ f: UTCFields, _ m: DateMarker, _ offsetHours: Int, _ offsetMinutes: Int) throws(JSONataError) -> String {
    let value = dateComponent(f, m.component)
    if "YMDdFWwXxHhmsf".contains(m.component) {
        var number = value.asNumber ?? 0
        if m.component == "Y" && m.n != -1 {
            number = number.truncatingRemainder(dividingBy: pow(10, Double(m.n)))
        }
        if let names = m.names {
            var name: String
            if m.component == "M" || m.component == "x" {
                name = monthNames[clampInt(number, 1, 12) - 1]
            } else if m.component == "F" {
                name = dayNames[clampInt(number, 1, 7)]
            } else {
                throw JSONataError(code: "D3133", value: String(m.component))
            }
            if names == .upper { name = name.uppercased() } else if names == .lower { name = name.lowercased() }
            if let max = m.widthMax, name.count > max { name = String(name.prefix(max)) }
            return name
        }
        return try formatInteger(number, m.integerFormat!)
    }
    if m.component == "Z" || m.component == "z" {
        let offset = offsetHours * 100 + offsetMinutes
        let format = m.integerFormat!
        var text: String
        if format.regular {
            text = try formatInteger(Double(offset), format)
        } else {
            let digits = format.mandatoryDigits
            if digits == 1 || digits == 2 {
                text = try formatInteger(Double(offsetHours), format)
                if offsetMinutes != 0 {
                    text += ":" + (try formatInteger(Double(offsetMinutes), try analyseIntegerPicture("00")))
                }
            } else if digits == 3 || digits == 4 {
                text = try formatInteger(Double(offset), format)
            } else {
                throw JSONataError(code: "D3134", value: String(digits))
            }
        }
        if offset >= 0 { text = "+" + text }
        if m.component == "z" { text = "GMT" + text }
        if offset == 0 && m.presentation2 == "t" { text = "Z" }
        return text
    }
    if m.component == "P" {
        let s = value.asString ?? ""
        return m.names == .upper ? s.uppercased() : s
    }
    return value.asString ?? ""
}
