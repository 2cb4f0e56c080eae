// Converting `Date` to and from PostgreSQL's ISO timestamp text (`2026-11-27 10:53:07.123456+00`) by
// arithmetic on the proleptic Gregorian calendar (Hinnant's days-from-civil), not with DateFormatter: it is
// exact to the microsecond (PostgreSQL's resolution), has no locale, and is cheap on hot paths.
// Connections set `DateStyle = ISO` and `TimeZone = UTC`, but any numeric offset the server sends is honoured.
import Foundation

enum PostgresTimestamp {
    /// Microseconds between 1970-01-01 and 2001-01-01 (Foundation's reference date).
    static let referenceOffsetMicros: Int64 = 978_307_200_000_000

    /// `date` as timestamptz text in UTC with microseconds.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded()) + referenceOffsetMicros
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let bc = year <= 0
        let shownYear = bc ? 1 - year : year
        var text = pad(shownYear, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " "
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += "." + pad(fraction, 6) + "+00"
        if bc { text += " BC" }
        return text
    }

    /// Parses timestamptz or timestamp text (`YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]][ BC]`, or
    /// `infinity`/`-infinity`). Text without an offset is taken as UTC. Returns nil when it is not such text.
    static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Date? where Bytes.Index == Int {
        var scanner = Scanner(bytes: bytes)
        if scanner.matches("infinity") { return .distantFuture }
        if scanner.matches("-infinity") { return .distantPast }
        guard let year = scanner.integer(), scanner.skip(UInt8(ascii: "-")),
            let month = scanner.integer(digits: 2), scanner.skip(UInt8(ascii: "-")),
            let day = scanner.integer(digits: 2),
            scanner.skip(UInt8(ascii: " ")) || scanner.skip(UInt8(ascii: "T")),
            let hour = scanner.integer(digits: 2), scanner.skip(UInt8(ascii: ":")),
            let minute = scanner.integer(digits: 2), scanner.skip(UInt8(ascii: ":")),
            let second = scanner.integer(digits: 2)
        else { return nil }
        var micros: Int64 = 0
        if scanner.skip(UInt8(ascii: ".")) {
            var digits = 0
            while let digit = scanner.digit() {
                if digits < 6 { micros = micros * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 6)..<6 { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if let sign = scanner.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.advance()
            guard let hours = scanner.integer(digits: 2) else { return nil }
            var offset = hours * 3600
            if scanner.skip(UInt8(ascii: ":")) {
                guard let minutes = scanner.integer(digits: 2) else { return nil }
                offset += minutes * 60
                if scanner.skip(UInt8(ascii: ":")) {
                    guard let secs = scanner.integer(digits: 2) else { return nil }
                    offset += secs
                }
            }
            offsetSeconds = sign == UInt8(ascii: "+") ? offset : -offset
        }
        var astronomicalYear = year
        if scanner.matches(" BC") { astronomicalYear = 1 - year }
        guard scanner.atEnd, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: astronomicalYear, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let totalMicros = seconds * 1_000_000 + micros
        return Date(timeIntervalSinceReferenceDate: Double(totalMicros - referenceOffsetMicros) / 1_000_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (year 0 is 1 BC).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A cursor over ASCII bytes.
    private struct Scanner<Bytes: Collection<UInt8>> where Bytes.Index == Int {
        let bytes: Bytes
        var position: Int

        init(bytes: Bytes) {
            self.bytes = bytes
            self.position = bytes.startIndex
        }

        var atEnd: Bool { position == bytes.endIndex }
        func peek() -> UInt8? { atEnd ? nil : bytes[position] }
        mutating func advance() { position += 1 }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            position += 1
            return true
        }

        /// Consumes `literal` if the rest of the input is exactly it... or starts with it followed by nothing else.
        mutating func matches(_ literal: String) -> Bool {
            let utf8 = Array(literal.utf8)
            guard bytes.endIndex - position >= utf8.count else { return false }
            for (offset, byte) in utf8.enumerated() where bytes[position + offset] != byte { return false }
            position += utf8.count
            return true
        }

        mutating func digit() -> Int64? {
            guard let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            position += 1
            return Int64(byte - UInt8(ascii: "0"))
        }

        /// Exactly `digits` digits, or (with nil) one or more.
        mutating func integer(digits: Int? = nil) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while digits.map({ count < $0 }) ?? true, let digit = digit() {
                value = value * 10 + digit
                count += 1
            }
            if let digits { return count == digits ? value : nil }
            return count > 0 ? value : nil
        }
    }
}
