import ASLChoice
import Testing

@Suite("ASL timestamps")
struct ASLTimestampTests {
    @Test("accepts RFC 3339 as AWS does", arguments: [
        "2016-03-14T01:59:00Z",
        "2012-10-09T19:00:55+01:00",
        "2012-10-09T19:00:55-05:30",
        "2012-10-09T19:00:55.1Z",
        "2012-10-09T19:00:55.123456789Z",
        "2016-03-05T21:29:29.243167252Z",
        "2026-11-27T09:29:47.000000Z",
        "2026-11-27T09:29:47.00Z",
        "2012-10-09T19:00Z",  // seconds are optional in ISO_OFFSET_DATE_TIME
        "2012-10-09T19:00:55.Z",  // so is the fraction after the point
        "2012-10-09T19:00:55+18:00",
        "2012-10-09T19:00:55-01:00:30",
        "2024-02-29T23:59:59Z",
        "2000-02-29T00:00:00Z",
        "0001-01-01T00:00:00Z",
    ])
    func accepts(_ text: String) {
        #expect(ASLTimestamp(text) != nil)
        #expect(ASLTimestamp.isValid(text))
        #expect(ASLTimestamp.parse(text) != nil)
    }

    @Test("rejects what AWS rejects", arguments: [
        "",
        "2012-10-09T19:00:55",  // no offset
        "2012-10-09t19:00:55Z",  // lowercase t
        "2012-10-09T19:00:55z",  // lowercase z
        "2012-10-09 19:00:55Z",  // space separator
        "2023-02-24 12:15:56.832957",
        "2023-02-24",
        "2026-11-27T09:29:47.000000",
        "2016-12-05 21:29:29Z",
        "2016-13-05T21:29:29Z",
        "05-12-2016T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "2012-10-09T19:00:55.1234567891Z",  // ten fraction digits
        "2012-10-09T19Z",
        "2012-10-09T19:00.5Z",  // a fraction needs seconds
        "2012-10-09T19:00:55+18:01",
        "2012-10-09T19:00:55+01:00:60",
        "2012-10-09T19:00:55+0100",  // offset without colon
        "2012-10-09T19:00:55+01",
        "2012-13-09T19:00:55Z",
        "2012-00-09T19:00:55Z",
        "2023-02-29T19:00:55Z",  // not a leap year
        "1900-02-29T19:00:55Z",
        "2012-10-32T19:00:55Z",
        "2012-04-31T19:00:55Z",
        "2012-10-09T24:00:00Z",
        "2012-10-09T19:60:00Z",
        "2012-10-09T19:00:60Z",
        "2012-10-09T19:00:55+24:00",
        "12-10-09T19:00:55Z",
        " 2012-10-09T19:00:55Z",
        "2012-10-09T19:00:55Z ",
        "2012-10-09T19:00:55ZZ",
        "２０１２-10-09T19:00:55Z",
    ])
    func rejects(_ text: String) {
        #expect(ASLTimestamp(text) == nil)
        #expect(ASLTimestamp.parse(text) == nil)
    }

    @Test func instantsIgnoreTheWrittenOffset() throws {
        let utc = try #require(ASLTimestamp("2012-10-09T19:00:55Z"))
        let plusOne = try #require(ASLTimestamp("2012-10-09T20:00:55+01:00"))
        let minus = try #require(ASLTimestamp("2012-10-09T13:30:55-05:30"))
        #expect(utc == plusOne)
        #expect(utc == minus)
        #expect(utc.hashValue == plusOne.hashValue)
        #expect(plusOne.utcOffsetSeconds == 3600)
        #expect(minus.utcOffsetSeconds == -19800)
    }

    @Test func epochSecondsAndFractions() throws {
        let epoch = try #require(ASLTimestamp("1970-01-01T00:00:00Z"))
        #expect(epoch.epochSeconds == 0)
        let known = try #require(ASLTimestamp("2016-03-14T01:59:00Z"))
        #expect(known.epochSeconds == 1_457_920_740)
        let before = try #require(ASLTimestamp("1969-12-31T23:59:59.5Z"))
        #expect(before.epochSeconds == -1)
        #expect(before.nanoseconds == 500_000_000)
        #expect(before.secondsSinceEpoch == -0.5)
        let fine = try #require(ASLTimestamp("2012-10-09T19:00:55.000000001Z"))
        let coarse = try #require(ASLTimestamp("2012-10-09T19:00:55Z"))
        #expect(coarse < fine)
        #expect(fine.nanoseconds == 1)
        let date = try #require(ASLTimestamp.parse("2016-03-14T01:59:00.250Z"))
        #expect(date.timeIntervalSince1970 == 1_457_920_740.25)
    }
}
