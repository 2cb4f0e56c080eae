@testable import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// The timestamp text conversion, checked against the server's own formatting and parsing.
@Suite struct TimestampTextTests {
    @Test func formatsTimestampsAsTheServerReadsThem() throws {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 951_782_400.25)) == "2000-02-29 00:00:00.250000+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31 23:59:58.500000+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -62_167_219_200)) == "0001-01-01 00:00:00.000000+00 BC")
    }

    @Test func parsesTheServersTextForms() throws {
        let cases: [(String, Double)] = [
            ("1970-01-01 00:00:00+00", 0),
            ("1970-01-01 01:00:00+01", 0),
            ("1969-12-31 19:00:00-05", 0),
            ("1970-01-01 05:30:00.5+05:30", 0.5),
            ("2024-02-29 12:34:56.789", 1_709_210_096.789),
            ("0001-01-01 00:00:00+00 BC", -62_167_219_200),
        ]
        for (text, seconds) in cases {
            let date = try #require(PostgresTimestamp.parse(Array(text.utf8)), "\(text)")
            #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6, "\(text)")
        }
        #expect(PostgresTimestamp.parse(Array("infinity".utf8)) == .distantFuture)
        #expect(PostgresTimestamp.parse(Array("-infinity".utf8)) == .distantPast)
        for bad in ["", "2024-02-29", "2024-13-01 00:00:00", "2024-02-29 12:00:00+", "yesterday"] {
            #expect(PostgresTimestamp.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func agreesWithTheServerOnAncientAndDistantDates() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_timestamp_text"), logger: TestDatabase.logger)
        for text in ["0044-03-15 12:00:00+00 BC", "1582-10-04 23:59:59.999999+00", "9999-12-31 23:59:59.999999+00", "2038-01-19 03:14:08+00"] {
            let date = try #require(PostgresTimestamp.parse(Array(text.utf8)))
            let epoch = try await connection.query("SELECT extract(epoch FROM $1::timestamptz)::float8", [text]).first?.decode(0, as: Double.self)
            #expect(abs(try #require(epoch) - date.timeIntervalSince1970) < 1e-3, "\(text)")
            let back = try await connection.query("SELECT $1::timestamptz", [date]).first?.decode(0, as: Date.self)
            #expect(back == date, "\(text)")
        }
        await connection.close()
    }
}
