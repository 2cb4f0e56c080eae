// Timestamps as Amazon States Language accepts them (Choice `Timestamp…` operators, `IsTimestamp`, Wait
// `Timestamp`/`TimestampPath`). AWS's errors name the format: "ISO-8601 extended offset date-time", i.e.
// Java's `DateTimeFormatter.ISO_OFFSET_DATE_TIME` in strict mode, which the conformance corpus bears out
// (`…T09:29:47Z`, `….00Z`, `….000000Z`, nine fraction digits accepted; no offset, a space for `T`, month 13,
// hour 25 rejected). So: `YYYY-MM-DD`, an uppercase `T`, `hh:mm` with optional `:ss` and an optional fraction
// of up to nine digits, then an uppercase `Z` or an offset `±hh:mm[:ss]` of at most 18 hours.
//
// Parsing is done by hand over the UTF-8 bytes, not with a date formatter: formatters are lenient in ways
// AWS is not (lowercase `t`/`z`, missing offsets) and depend on the process locale. The instant is kept
// exactly (whole seconds since the epoch plus nanoseconds), so comparing two timestamps that differ by a
// nanosecond is exact; `Date` is offered for callers that need one.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A point in time written as an ASL timestamp, e.g. `2016-03-14T01:59:00Z` or `2012-10-09T19:00:55.25+01:00`.
///
/// Two timestamps are equal, and order, by the instant they denote: `2012-10-09T19:00:55Z` equals
/// `2012-10-09T20:00:55+01:00`. The written offset is kept in ``utcOffsetSeconds`` but takes no part in
/// comparison.
public struct ASLTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    public var epochSeconds: Int64
    /// The fraction of the second, in nanoseconds (`0..<1_000_000_000`).
    public var nanoseconds: Int32
    /// The offset from UTC the text was written with, in seconds (`0` for `Z`).
    public var utcOffsetSeconds: Int32
    /// The text this timestamp was parsed from.
    public var text: String

    /// Parses `text`; `nil` when AWS would not accept it as a timestamp.
    public init?(_ text: String) {
        guard let parsed = TimestampScanner.scan(Array(text.utf8)) else { return nil }
        self.epochSeconds = parsed.epochSeconds
        self.nanoseconds = parsed.nanoseconds
        self.utcOffsetSeconds = parsed.offset
        self.text = text
    }

    /// Parses `text` into a `Date`; `nil` when AWS would not accept it as a timestamp.
    public static func parse(_ text: String) -> Date? { ASLTimestamp(text)?.date }

    /// Whether AWS accepts `text` as a timestamp (what `IsTimestamp` tests).
    public static func isValid(_ text: String) -> Bool { ASLTimestamp(text) != nil }

    /// The instant as a `Date` (sub-microsecond precision may be lost).
    public var date: Date { Date(timeIntervalSince1970: secondsSinceEpoch) }

    /// The instant as seconds since the Unix epoch, fraction included.
    public var secondsSinceEpoch: Double { Double(epochSeconds) + Double(nanoseconds) / 1_000_000_000 }

    /// The text this timestamp was parsed from.
    public var description: String { text }

    public static func == (lhs: ASLTimestamp, rhs: ASLTimestamp) -> Bool {
        lhs.epochSeconds == rhs.epochSeconds && lhs.nanoseconds == rhs.nanoseconds
    }

    public static func < (lhs: ASLTimestamp, rhs: ASLTimestamp) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }

    /// Hashes the instant only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(epochSeconds)
        hasher.combine(nanoseconds)
    }
}

/// The grammar: `YYYY-MM-DD` `T` `hh:mm` [`:ss` [`.` 0–9 digits]] (`Z` | `±hh:mm` [`:ss`]), nothing else.
private struct TimestampScanner {
    let bytes: [UInt8]
    var index = 0

    static func scan(_ bytes: [UInt8]) -> (epochSeconds: Int64, nanoseconds: Int32, offset: Int32)? {
        var scanner = TimestampScanner(bytes: bytes)
        return scanner.scan()
    }

    private mutating func scan() -> (epochSeconds: Int64, nanoseconds: Int32, offset: Int32)? {
        guard let year = digits(4), expect(UInt8(ascii: "-")),
            let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2), expect(UInt8(ascii: "T")),
            let hour = digits(2), expect(UInt8(ascii: ":")),
            let minute = digits(2)
        else { return nil }
        var second = 0
        var nanoseconds = 0
        if expect(UInt8(ascii: ":")) {
            guard let s = digits(2) else { return nil }
            second = s
            if expect(UInt8(ascii: ".")) {
                // Java's ISO fraction: zero to nine digits after the point.
                var count = 0
                while let byte = peek, Self.isDigit(byte) {
                    guard count < 9 else { return nil }
                    nanoseconds = nanoseconds * 10 + Int(byte - UInt8(ascii: "0"))
                    count += 1
                    index += 1
                }
                for _ in count..<9 { nanoseconds *= 10 }
            }
        }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }

        var offset = 0
        switch peek {
        case UInt8(ascii: "Z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = peek == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect(UInt8(ascii: ":")), let offsetMinutes = digits(2),
                offsetMinutes <= 59
            else { return nil }
            var offsetSeconds = 0
            if expect(UInt8(ascii: ":")) {
                guard let s = digits(2), s <= 59 else { return nil }
                offsetSeconds = s
            }
            let magnitude = offsetHours * 3600 + offsetMinutes * 60 + offsetSeconds
            guard magnitude <= 18 * 3600 else { return nil }
            offset = sign * magnitude
        default:
            return nil
        }
        guard index == bytes.count else { return nil }

        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (local - Int64(offset), Int32(nanoseconds), Int32(offset))
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    private mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard Self.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
