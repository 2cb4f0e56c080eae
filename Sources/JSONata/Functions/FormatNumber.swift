// `$formatNumber` (XPath F&O 3.1 `format-number`): pictures with decimal and grouping separators,
// optional (`#`) and mandatory digits, percent and per-mille, exponents, and a negative sub-picture.
// The picture is split and validated (D3080–D3093) as F&O 4.7.3 says, then applied as 4.7.5 says.
import Foundation

private struct PictureParts {
    var prefix: [Character], suffix: [Character], active: [Character], mantissa: [Character]
    var exponent: [Character]?
    var integer: [Character], fraction: [Character], sub: [Character]
}

private struct PictureVars {
    var integerGroups: [Int]
    var regularGrouping: Int
    var minInt: Int
    var scaling: Int
    var prefix: String
    var fractionGroups: [Int]
    var minFrac: Int
    var maxFrac: Int
    var minExp: Int
    var suffix: String
    var picture: [Character]
}

private func indexOf(_ a: [Character], _ c: Character, from: Int = 0) -> Int? {
    var i = from
    while i < a.count { if a[i] == c { return i }; i += 1 }
    return nil
}

func formatNumber(_ value: Double, _ pictureText: String, _ options: JObject?) throws(JSONataError) -> String {
    var props: [String: String] = [
        "decimal-separator": ".", "grouping-separator": ",", "exponent-separator": "e", "infinity": "Infinity",
        "minus-sign": "-", "NaN": "NaN", "percent": "%", "per-mille": "\u{2030}", "zero-digit": "0", "digit": "#",
        "pattern-separator": ";",
    ]
    if let options { for (k, v) in options.dict { if let s = v.asString { props[k] = s } } }
    func ch(_ k: String) -> Character { props[k]!.first ?? " " }
    let decimalSep = ch("decimal-separator"), groupSep = ch("grouping-separator"), expSep = ch("exponent-separator")
    let digit = ch("digit"), patternSep = ch("pattern-separator"), percent = ch("percent"), permille = ch("per-mille")
    let zero = props["zero-digit"]!.unicodeScalars.first?.value ?? 0x30
    let family: [Character] = (0..<10).map { Character(Unicode.Scalar(zero + $0)!) }
    let active = Set(family + [decimalSep, expSep, groupSep, digit, patternSep])

    let subPictures = Array(pictureText).split(separator: patternSep, omittingEmptySubsequences: false).map(Array.init)
    if subPictures.count > 2 { throw JSONataError(code: "D3080") }

    func split(_ sub: [Character]) -> PictureParts {
        var prefixEnd = sub.count
        for (i, c) in sub.enumerated() where active.contains(c) && c != expSep { prefixEnd = i; break }
        var suffixStart = sub.count
        for i in stride(from: sub.count - 1, through: 0, by: -1) where active.contains(sub[i]) && sub[i] != expSep {
            suffixStart = i + 1
            break
        }
        if prefixEnd == sub.count { suffixStart = sub.count }
        let prefix = Array(sub[0..<prefixEnd])
        let suffix = Array(sub[Swift.max(suffixStart, prefixEnd)...])
        let activePart = Array(sub[prefixEnd..<Swift.max(suffixStart, prefixEnd)])
        var mantissa = activePart
        var exponent: [Character]? = nil
        if let e = indexOf(sub, expSep, from: prefix.count), e <= sub.count - suffix.count {
            let rel = e - prefix.count
            mantissa = Array(activePart[0..<Swift.min(rel, activePart.count)])
            exponent = rel + 1 <= activePart.count ? Array(activePart[(rel + 1)...]) : []
        }
        var integer = mantissa
        var fraction = suffix
        if let d = indexOf(mantissa, decimalSep) {
            integer = Array(mantissa[0..<d])
            fraction = Array(mantissa[(d + 1)...])
        }
        return PictureParts(prefix: prefix, suffix: suffix, active: activePart, mantissa: mantissa, exponent: exponent,
                            integer: integer, fraction: fraction, sub: sub)
    }

    func validate(_ p: PictureParts) throws(JSONataError) {
        var error: String? = nil
        let sub = p.sub
        func count(_ c: Character) -> Int { sub.filter { $0 == c }.count }
        let decimalPos = indexOf(sub, decimalSep)
        if count(decimalSep) > 1 { error = "D3081" }
        if count(percent) > 1 { error = "D3082" }
        if count(permille) > 1 { error = "D3083" }
        if count(percent) > 0 && count(permille) > 0 { error = "D3084" }
        if !p.mantissa.contains(where: { family.contains($0) || $0 == digit }) { error = "D3085" }
        if p.active.contains(where: { !active.contains($0) }) { error = "D3086" }
        if let d = decimalPos {
            if (d > 0 && sub[d - 1] == groupSep) || (d + 1 < sub.count && sub[d + 1] == groupSep) { error = "D3087" }
        } else if p.integer.last == groupSep {
            error = "D3088"
        }
        for i in 0..<Swift.max(sub.count - 1, 0) where sub[i] == groupSep && sub[i + 1] == groupSep { error = "D3089" }
        if let o = indexOf(p.integer, digit), p.integer[0..<o].contains(where: { family.contains($0) }) { error = "D3090" }
        if let o = p.fraction.lastIndex(of: digit), p.fraction[o...].contains(where: { family.contains($0) }) { error = "D3091" }
        if let e = p.exponent, !e.isEmpty, count(percent) > 0 || count(permille) > 0 { error = "D3092" }
        if let e = p.exponent, e.isEmpty || e.contains(where: { !family.contains($0) }) { error = "D3093" }
        if let error { throw JSONataError(code: error) }
    }

    func analyse(_ p: PictureParts) -> PictureVars {
        func groupingPositions(_ part: [Character], toLeft: Bool) -> [Int] {
            var positions: [Int] = []
            var g = indexOf(part, groupSep)
            while let pos = g {
                let slice = toLeft ? Array(part[0..<pos]) : Array(part[pos...])
                positions.append(slice.filter { family.contains($0) || $0 == digit }.count)
                g = indexOf(p.integer, groupSep, from: pos + 1)
            }
            return positions
        }
        let intGroups = groupingPositions(p.integer, toLeft: false)
        func regular(_ idx: [Int]) -> Int {
            guard let first = idx.first else { return 0 }
            func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
            let factor = idx.dropFirst().reduce(first, gcd)
            for i in 1...idx.count where !idx.contains(i * factor) { return 0 }
            return factor
        }
        let fracGroups = groupingPositions(p.fraction, toLeft: true)
        var minInt = p.integer.filter { family.contains($0) }.count
        let scaling = minInt
        var minFrac = p.fraction.filter { family.contains($0) }.count
        var maxFrac = p.fraction.filter { family.contains($0) || $0 == digit }.count
        let expPresent = p.exponent != nil
        if minInt == 0 && maxFrac == 0 {
            if expPresent { minFrac = 1; maxFrac = 1 } else { minInt = 1 }
        }
        if expPresent && minInt == 0 && p.integer.contains(digit) { minInt = 1 }
        if minInt == 0 && minFrac == 0 { minFrac = 1 }
        let minExp = p.exponent?.filter { family.contains($0) }.count ?? 0
        return PictureVars(integerGroups: intGroups, regularGrouping: regular(intGroups), minInt: minInt, scaling: scaling,
                           prefix: String(p.prefix), fractionGroups: fracGroups, minFrac: minFrac, maxFrac: maxFrac,
                           minExp: minExp, suffix: String(p.suffix), picture: p.sub)
    }

    let parts = subPictures.map(split)
    for p in parts { try validate(p) }
    var vars = parts.map(analyse)
    let minus = props["minus-sign"]!
    if vars.count == 1 {
        var neg = vars[0]
        neg.prefix = minus + neg.prefix
        vars.append(neg)
    }
    let pic = value >= 0 ? vars[0] : vars[1]
    var adjusted = value
    if pic.picture.contains(percent) { adjusted = value * 100 } else if pic.picture.contains(permille) { adjusted = value * 1000 }
    var mantissa = adjusted
    var exponent: Int? = nil
    if pic.minExp != 0 {
        let maxM = pow(10, Double(pic.scaling)), minM = pow(10, Double(pic.scaling - 1))
        var e = 0
        // on the magnitude (JSONata's loop never ends for zero or a negative number); bounded for non-finite values
        let sign: Double = mantissa < 0 ? -1 : 1
        mantissa = abs(mantissa)
        var guardCount = 0
        while mantissa != 0 && mantissa < minM && guardCount < 400 { mantissa *= 10; e -= 1; guardCount += 1 }
        while mantissa > maxM && guardCount < 800 { mantissa /= 10; e += 1; guardCount += 1 }
        mantissa *= sign
        exponent = e
    }
    let rounded = jsonataRound(mantissa, pic.maxFrac)
    func makeString(_ v: Double, _ dp: Int) -> [Character] {
        let s = String(format: "%.\(dp)f", abs(v))
        return s.map { c in
            if let d = c.wholeNumberValue, c.isASCII { return family[d] }
            return c
        }
    }
    let zeroChar = family[0]
    var s = makeString(rounded, pic.maxFrac)
    if let d = indexOf(s, ".") { s[d] = decimalSep } else { s.append(decimalSep) }
    while s.first == zeroChar { s.removeFirst() }
    while s.last == zeroChar { s.removeLast() }
    var decimalPos = (indexOf(s, decimalSep) ?? s.count)
    let padLeft = pic.minInt - decimalPos
    let padRight = pic.minFrac - (s.count - decimalPos - 1)
    if padLeft > 0 { s = Array(repeating: zeroChar, count: padLeft) + s }
    if padRight > 0 { s += Array(repeating: zeroChar, count: padRight) }
    decimalPos = (indexOf(s, decimalSep) ?? s.count)
    if pic.regularGrouping > 0 {
        let groupCount = (decimalPos - 1) / pic.regularGrouping
        if groupCount >= 1 {
            for group in 1...groupCount {
                s.insert(groupSep, at: decimalPos - group * pic.regularGrouping)
            }
        }
    } else {
        for pos in pic.integerGroups {
            s.insert(groupSep, at: Swift.max(0, decimalPos - pos))
            decimalPos += 1
        }
    }
    decimalPos = (indexOf(s, decimalSep) ?? s.count)
    for pos in pic.fractionGroups {
        s.insert(groupSep, at: Swift.min(s.count, pos + decimalPos + 1))
    }
    decimalPos = (indexOf(s, decimalSep) ?? s.count)
    if !s.isEmpty && (pic.maxFrac == 0 || decimalPos == s.count - 1) {
        s.removeLast()
    }
    var out = String(s)
    if let exponent {
        var e = makeString(Double(exponent), 0)
        let pad = pic.minExp - e.count
        if pad > 0 { e = Array(repeating: zeroChar, count: pad) + e }
        out += String(expSep) + (exponent < 0 ? minus : "") + String(e)
    }
    return pic.prefix + out + pic.suffix
}

func registerFormatNumber(_ b: inout LibraryBuilder) {
    b.add("formatNumber", "<n-so?:s>") { args, _ throws(JSONataError) in
        guard let v = args[arg: 0]?.asNumber, let picture = args[arg: 1]?.asString else { return nil }
        return .string(try formatNumber(v, picture, args[arg: 2]?.asObject))
    }
}
