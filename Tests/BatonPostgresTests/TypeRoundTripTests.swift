import BatonJSON
import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// Every supported type goes to the server as a parameter, is stored in a typed column, and comes back equal.
@Suite struct TypeRoundTripTests {
    @Test func everyTypeRoundTripsThroughATable() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_all"), logger: TestDatabase.logger)
        try await connection.simpleQuery(
            """
            CREATE TABLE everything (
              id int4 PRIMARY KEY, t text, b bool, i2 int2, i4 int4, i8 int8, f8 float8, n numeric,
              u uuid, j jsonb, js json, ts timestamptz, by bytea
            )
            """)
        let uuid = UUID()
        let date = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let json: JSON = ["name": "Ωmega ✓", "n": 1, "x": 1.5, "list": [true, nil, "s"], "nested": ["k": [:]]]
        let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]
        let decimal = Decimal(string: "12345678901234567890.123456789", locale: Locale(identifier: "en_US_POSIX"))!
        let text = "héllo, 世界 🚀 \"quoted\" \\ back\\slash\n second line"
        try await connection.execute(
            "INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::json, $12, $13)",
            [
                Int32(1), text, true, Int16(-32768), Int32.max, Int64.min, 0.1 + 0.2, decimal, uuid, json,
                json.serialized(), date, bytes,
            ])
        try await connection.execute("INSERT INTO everything (id) VALUES ($1)", [Int32(2)])

        let rows = try await connection.query("SELECT * FROM everything ORDER BY id")
        #expect(rows.count == 2)
        let row = rows[0]
        #expect(try row.decode("t", as: String.self) == text)
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("i2", as: Int16.self) == -32768)
        #expect(try row.decode("i4", as: Int32.self) == Int32.max)
        #expect(try row.decode("i8", as: Int64.self) == Int64.min)
        #expect(try row.decode("i4", as: Int.self) == Int(Int32.max))
        #expect(try row.decode("f8", as: Double.self) == 0.1 + 0.2)
        #expect(try row.decode("n", as: Decimal.self) == decimal)
        #expect(try row.decode("n", as: String.self) == "12345678901234567890.123456789")
        #expect(try row.decode("u", as: UUID.self) == uuid)
        #expect(try row.decode("j", as: JSON.self) == json)
        #expect(try row.decode("js", as: JSON.self) == json)
        #expect(try row.decode("ts", as: Date.self) == date)
        #expect(try row.decode("by", as: [UInt8].self) == bytes)

        let empty = rows[1]
        #expect(try empty.decode("t", as: String?.self) == nil)
        #expect(try empty.decode("b", as: Bool?.self) == nil)
        #expect(try empty.decode("i2", as: Int16?.self) == nil)
        #expect(try empty.decode("i4", as: Int32?.self) == nil)
        #expect(try empty.decode("i8", as: Int64?.self) == nil)
        #expect(try empty.decode("f8", as: Double?.self) == nil)
        #expect(try empty.decode("n", as: Decimal?.self) == nil)
        #expect(try empty.decode("u", as: UUID?.self) == nil)
        #expect(try empty.decode("j", as: JSON?.self) == nil)
        #expect(try empty.decode("ts", as: Date?.self) == nil)
        #expect(try empty.decode("by", as: [UInt8]?.self) == nil)
        await connection.close()
    }

    @Test func nullParametersAndOptionalsRoundTrip() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_nulls"), logger: TestDatabase.logger)
        let missing: String? = nil
        let present: Int? = 7
        let rows = try await connection.query("SELECT $1::text AS a, $2::int8 AS b, $3::jsonb AS c", [missing, present, nil])
        let row = try #require(rows.first)
        #expect(try row.decode("a", as: String?.self) == nil)
        #expect(try row.decode("b", as: Int?.self) == 7)
        #expect(try row.decode("c", as: JSON?.self) == nil)
        await connection.close()
    }

    @Test func tenMebibytesOfJSONBRoundTrip() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_big_jsonb"), logger: TestDatabase.logger)
        try await connection.simpleQuery("CREATE TABLE docs (id int8 PRIMARY KEY, doc jsonb NOT NULL)")
        var items: [JSON] = []
        var size = 0
        var index = 0
        while size < 10 * 1024 * 1024 {
            let item: JSON = [
                "index": .int(index), "text": .string("ünïcödé payload \(index) " + String(repeating: "x", count: 200)),
            ]
            size += item.serialized().utf8.count + 1
            items.append(item)
            index += 1
        }
        let document: JSON = ["items": .array(items)]
        #expect(document.serialized().utf8.count >= 10 * 1024 * 1024)
        try await connection.execute("INSERT INTO docs VALUES ($1, $2)", [1, document])
        let back = try await connection.query("SELECT doc FROM docs WHERE id = $1", [1]).first?.decode(0, as: JSON.self)
        #expect(back == document)
        await connection.close()
    }

    @Test func nonASCIITextRoundTripsExactly() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_text"), logger: TestDatabase.logger)
        let samples = [
            "", "ascii", "Ωμέγα", "日本語テキスト", "emoji 👩‍👩‍👧‍👦 family", "mixed\ttabs\r\nand newlines",
            "’quotes’ “double” 'single'",
        ]
        for sample in samples {
            let back = try await connection.query("SELECT $1::text", [sample], statementName: "echo_text").first?
                .decode(0, as: String.self)
            #expect(back == sample)
            let length = try await connection.query("SELECT char_length($1)", [sample]).first?.decode(0, as: Int.self)
            #expect(length == sample.unicodeScalars.count)
        }
        await connection.close()
    }

    @Test func datesKeepMicrosecondsAndOffsetsAreHonoured() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_dates"), logger: TestDatabase.logger)
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_000.000001),
            Date(timeIntervalSince1970: -1_000_000_000.5), Date(timeIntervalSince1970: 4_102_444_800.999999),
        ]
        for date in dates {
            let back = try await connection.query("SELECT $1::timestamptz", [date]).first?.decode(0, as: Date.self)
            #expect(back == date)
        }
        let rows = try await connection.query(
            "SELECT '2024-02-29 12:00:00.5+05:30'::timestamptz, '2024-02-29 06:30:00.5'::timestamp")
        let row = try #require(rows.first)
        let withOffset = try row.decode(0, as: Date.self)
        let naive = try row.decode(1, as: Date.self)
        #expect(withOffset == naive)
        #expect(withOffset.timeIntervalSince1970 == 1_709_188_200.5)
        await connection.close()
    }

    @Test func numericEdgeCases() async throws {
        let connection = try await PostgresConnection.connect(
            TestDatabase.create(suite: "pg_types_numbers"), logger: TestDatabase.logger)
        let rows = try await connection.query(
            "SELECT 'NaN'::float8, 'Infinity'::float8, '-0.000001'::numeric, 'NaN'::numeric, 9007199254740993::int8")
        let row = try #require(rows.first)
        #expect(try row.decode(0, as: Double.self).isNaN)
        #expect(try row.decode(1, as: Double.self) == .infinity)
        #expect(try row.decode(2, as: Decimal.self) == Decimal(string: "-0.000001", locale: Locale(identifier: "en_US_POSIX")))
        #expect(try row.decode(3, as: Decimal.self).isNaN)
        #expect(try row.decode(4, as: Int64.self) == 9_007_199_254_740_993)
        for value in [Double.pi, -1e-300, 1.7976931348623157e308, Double.infinity, -Double.infinity] {
            let back = try await connection.query("SELECT $1", [value]).first?.decode(0, as: Double.self)
            #expect(back == value)
        }
        await connection.close()
    }
}
