// `$formatInteger` and `$parseInteger` (XPath F&O 3.1 `format-integer` pictures): decimal digit patterns
// with grouping separators and any Unicode decimal digit family, `a`/`A` letters, `i`/`I` roman
// numerals, `w`/`W`/`Ww` words, and the `;o` ordinal modifier. The date/time formatter reuses these.
import Foundation

struct IntegerPicture {
    enum Primary { case decimal, letters, roman, words, sequence }
    enum Case { case lower, upper, title }
    var primary: Primary = .decimal
    var letterCase: Case = .lower
    var ordinal = false
    var zeroCode: UInt32 = 0x30
    var mandatoryDigits = 0
    var optionalDigits = 0
    var regular = false
    /// Regular: one separator repeated every `position` digits.
    var regularSeparator: (position: Int, character: String) = (0, "")
    /// Irregular: each separator with its position counted from the right.
    var separators: [(position: Int, character: String)] = []
    var token = ""
}

private let decimalGroups: [UInt32] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
]

func analyseIntegerPicture(_ picture: String) throws(JSONataError) -> IntegerPicture {
    var format = IntegerPicture()
    var primary = picture
    if let semicolon = picture.lastIndex(of: ";") {
        primary = String(picture[..<semicolon])
        let modifier = picture[picture.index(after: semicolon)...]
        if modifier.first == "o" { format.ordinal = true }
    }
    switch primary {
    case "A": format.letterCase = .upper; format.primary = .letters
    case "a": format.primary = .letters
    case "I": format.letterCase = .upper; format.primary = .roman
    case "i": format.primary = .roman
    case "W": format.letterCase = .upper; format.primary = .words
    case "Ww": format.letterCase = .title; format.primary = .words
    case "w": format.primary = .words
    default:
        var zeroCode: UInt32? = nil
        var separatorPosition = 0
        var groupingSeparators: [(position: Int, character: String)] = []
        for u in primary.unicodeScalars.reversed() {
            let code = u.value
            if let group = decimalGroups.first(where: { code >= $0 && code <= $0 + 9 }) {
                format.mandatoryDigits += 1
                separatorPosition += 1
                if zeroCode == nil { zeroCode = group } else if zeroCode != group { throw JSONataError(code: "D3131") }
            } else if u == "#" {
                separatorPosition += 1
                format.optionalDigits += 1
            } else {
                groupingSeparators.append((separatorPosition, String(u)))
            }
        }
        if format.mandatoryDigits > 0 {
            format.primary = .decimal
            format.zeroCode = zeroCode ?? 0x30
            let regular = regularRepeat(groupingSeparators)
            if regular > 0 {
                format.regular = true
                format.regularSeparator = (regular, groupingSeparators[0].character)
            } else {
                format.separators = groupingSeparators
            }
        } else {
            format.primary = .sequence
            format.token = primary
        }
    }
    return format
}

private func regularRepeat(_ separators: [(position: Int, character: String)]) -> Int {
    guard let first = separators.first else { return 0 }
    if separators.contains(where: { $0.character != first.character }) { return 0 }
    let indexes = separators.map(\.position)
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let factor = indexes.dropFirst().reduce(indexes[0], gcd)
    for index in 1...indexes.count where !indexes.contains(index * factor) { return 0 }
    return factor
}

func formatInteger(_ valueIn: Double, _ format: IntegerPicture) throws(JSONataError) -> String {
    if !valueIn.isFinite { throw jerr("D1001", .number(valueIn)) }
    if format.primary == .roman && abs(valueIn) > 1e6 { throw jerr("D1001", .number(valueIn)) }
    let negative = valueIn < 0
    let value = abs(valueIn)
    var out: String
    switch format.primary {
    case .letters:
        out = decimalToLetters(clampInt(value, 0, Int.max / 2), upper: format.letterCase == .upper)
    case .roman:
        out = decimalToRoman(clampInt(value, 0, 1_000_000))
        if format.letterCase == .upper { out = out.uppercased() }
    case .words:
        out = numberToWords(value, ordinal: format.ordinal)
        if format.letterCase == .upper { out = out.uppercased() } else if format.letterCase == .lower { out = out.lowercased() }
    case .decimal:
        out = jsNumberString(value)
        let padLength = format.mandatoryDigits - out.count
        if padLength > 0 { out = String(repeating: "0", count: padLength) + out }
        if format.zeroCode != 0x30 {
            var mapped = String.UnicodeScalarView()
            for u in out.unicodeScalars {
                if let d = u.properties.numericType != nil ? UInt32(String(u)) : nil, let s = Unicode.Scalar(format.zeroCode + d) {
                    mapped.append(s)
                } else {
                    mapped.append(u)
                }
            }
            out = String(mapped)
        }
        var chars = Array(out)
        if format.regular {
            let step = format.regularSeparator.position
            let n = (chars.count - 1) / step
            if n > 0 {
                for ii in stride(from: n, to: 0, by: -1) {
                    let pos = chars.count - ii * step
                    chars.insert(contentsOf: Array(format.regularSeparator.character), at: pos)
                }
            }
        } else {
            for sep in format.separators.reversed() {
                let pos = Swift.max(0, chars.count - sep.position)
                chars.insert(contentsOf: Array(sep.character), at: pos)
            }
        }
        out = String(chars)
        if format.ordinal {
            let last = chars.last
            var suffix = last == "1" ? "st" : last == "2" ? "nd" : last == "3" ? "rd" : "th"
            if chars.count > 1 && chars[chars.count - 2] == "1" { suffix = "th" }
            out += suffix
        }
    case .sequence:
        throw JSONataError(code: "D3130", value: format.token)
    }
    return negative ? "-" + out : out
}

private let romanNumerals: [(Int, String)] = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
    (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]

func decimalToRoman(_ value: Int) -> String {
    var v = value
    var out = ""
    for (n, s) in romanNumerals { while v >= n { out += s; v -= n } }
    return out
}

func romanToDecimal(_ roman: String) -> Double {
    let values: [Character: Int] = ["M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1]
    var decimal = 0, maxSeen = 1
    for ch in roman.reversed() {
        let v = values[ch] ?? 0
        if v < maxSeen { decimal -= v } else { maxSeen = v; decimal += v }
    }
    return Double(decimal)
}

func decimalToLetters(_ value: Int, upper: Bool) -> String {
    let a = upper ? 65 : 97
    var v = value
    var letters: [Character] = []
    while v > 0 {
        letters.insert(Character(Unicode.Scalar(UInt8((v - 1) % 26 + a))), at: 0)
        v = (v - 1) / 26
    }
    return String(letters)
}

func lettersToDecimal(_ letters: String, upper: Bool) -> Double {
    let a = upper ? 65 : 97
    var decimal = 0.0
    for (i, u) in letters.unicodeScalars.reversed().enumerated() {
        decimal += Double(Int(u.value) - a + 1) * pow(26, Double(i))
    }
    return decimal
}

private let few = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
    "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"]
private let ordinals = ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
    "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
    "Eighteenth", "Nineteenth"]
private let decades = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"]
private let magnitudes = ["Thousand", "Million", "Billion", "Trillion"]

func numberToWords(_ value: Double, ordinal: Bool) -> String {
    func lookup(_ num: Double, _ prev: Bool, _ ord: Bool) -> String {
        var words = ""
        if num <= 19 {
            words = (prev ? " and " : "") + (ord ? ordinals[Int(num)] : few[Int(num)])
        } else if num < 100 {
            let tens = Int(num / 10)
            let remainder = num.truncatingRemainder(dividingBy: 10)
            words = (prev ? " and " : "") + decades[tens - 2]
            if remainder > 0 {
                words += "-" + lookup(remainder, false, ord)
            } else if ord {
                words = String(words.dropLast()) + "ieth"
            }
        } else if num < 1000 {
            let hundreds = Int(num / 100)
            let remainder = num.truncatingRemainder(dividingBy: 100)
            words = (prev ? ", " : "") + few[hundreds] + " Hundred"
            if remainder > 0 {
                words += lookup(remainder, true, ord)
            } else if ord {
                words += "th"
            }
        } else {
            var mag = Int(floor(log10(num) / 3))
            if mag > magnitudes.count { mag = magnitudes.count }
            let factor = pow(10, Double(mag * 3))
            let mant = floor(num / factor)
            let remainder = num - mant * factor
            words = (prev ? ", " : "") + lookup(mant, false, false) + " " + magnitudes[mag - 1]
            if remainder > 0 {
                words += lookup(remainder, true, ord)
            } else if ord {
                words += "th"
            }
        }
        return words
    }
    return lookup(value, false, ordinal)
}

let wordValues: [String: Double] = {
    var d: [String: Double] = [:]
    for (i, w) in few.enumerated() { d[w.lowercased()] = Double(i) }
    for (i, w) in ordinals.enumerated() { d[w.lowercased()] = Double(i) }
    for (i, w) in decades.enumerated() {
        let l = w.lowercased()
        d[l] = Double((i + 2) * 10)
        d[String(l.dropLast()) + "ieth"] = Double((i + 2) * 10)
    }
    d["hundredth"] = 100
    for (i, w) in magnitudes.enumerated() {
        let l = w.lowercased()
        let v = pow(10, Double((i + 1) * 3))
        d[l] = v
        d[l + "th"] = v
    }
    return d
}()

func wordsToNumber(_ text: String) -> Double? {
    // split on ", ", " and ", whitespace or hyphens
    var parts: [String] = []
    var current = ""
    let chars = Array(text)
    var i = 0
    while i < chars.count {
        if chars[i] == "," && i + 1 < chars.count && chars[i + 1].isWhitespace {
            parts.append(current); current = ""; i += 2; continue
        }
        if chars[i].isWhitespace && i + 4 < chars.count && String(chars[(i + 1)...(i + 3)]) == "and" && chars[i + 4].isWhitespace {
            parts.append(current); current = ""; i += 5; continue
        }
        if chars[i].isWhitespace || chars[i] == "-" || chars[i] == "\\" {
            parts.append(current); current = ""; i += 1; continue
        }
        current.append(chars[i])
        i += 1
    }
    parts.append(current)
    var segs: [Double] = [0]
    for part in parts {
        guard let value = wordValues[part] else { return nil }
        if value < 100 {
            var top = segs.removeLast()
            if top >= 1000 {
                segs.append(top)
                top = 0
            }
            segs.append(top + value)
        } else {
            segs.append(segs.removeLast() * value)
        }
    }
    return segs.reduce(0, +)
}

/// The regular expression that matches an integer written with this picture, and how to read it back.
func integerMatcher(_ format: IntegerPicture) throws(JSONataError) -> (regex: String, parse: (String) -> Double?) {
    switch format.primary {
    case .letters:
        return (format.letterCase == .upper ? "[A-Z]+" : "[a-z]+", { lettersToDecimal($0, upper: format.letterCase == .upper) })
    case .roman:
        return (format.letterCase == .upper ? "[MDCLXVI]+" : "[mdclxvi]+", { romanToDecimal($0.uppercased()) })
    case .words:
        let alternatives = wordValues.keys.sorted { $0.count > $1.count } + ["and", "[\\-, ]"]
        return ("(?:" + alternatives.joined(separator: "|") + ")+", { wordsToNumber($0.lowercased()) })
    case .decimal:
        var regex = "[0-9]+"
        if format.ordinal { regex += "(?:th|st|nd|rd)" }
        return (regex, { value in
            var digits = value
            if format.ordinal { digits = String(digits.dropLast(2)) }
            if format.regular {
                digits = digits.replacingOccurrences(of: ",", with: "")
            } else {
                for sep in format.separators { digits = digits.replacingOccurrences(of: sep.character, with: "") }
            }
            if format.zeroCode != 0x30 {
                var mapped = ""
                for u in digits.unicodeScalars {
                    mapped.unicodeScalars.append(Unicode.Scalar(u.value - format.zeroCode + 0x30) ?? u)
                }
                digits = mapped
            }
            let prefix = digits.prefix { $0.isASCII && $0.isNumber }
            return Double(prefix)
        })
    case .sequence:
        throw JSONataError(code: "D3130", value: format.token)
    }
}

func registerFormatFunctions(_ b: inout LibraryBuilder) {
    b.add("formatInteger", "<n-s:s>") { args, _ throws(JSONataError) in
        guard let v = args[arg: 0]?.asNumber, let picture = args[arg: 1]?.asString else { return nil }
        return .string(try formatInteger(v.rounded(.down), try analyseIntegerPicture(picture)))
    }
    b.add("parseInteger", "<s-s:n>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString, let picture = args[arg: 1]?.asString else { return nil }
        let matcher = try integerMatcher(try analyseIntegerPicture(picture))
        return matcher.parse(s).map(JValue.number)
    }
    registerFormatNumber(&b)
}
