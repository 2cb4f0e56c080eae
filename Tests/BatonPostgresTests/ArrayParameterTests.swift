import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// Binary array parameters (`PostgresArray`), as the batch statements send their columns: every element type,
/// NULLs, an empty array, and several arrays unnested side by side.
@Suite struct ArrayParameterTests {
    @Test func everyElementTypeArrivesAsSent() async throws {
        let connection = try await PostgresConnection.connect(TestDatabase.create(suite: "pg_arrays"), logger: TestDatabase.logger)
        var ids = PostgresArray(of: .int8)
        var counts = PostgresArray(of: .int4)
        var texts = PostgresArray(of: .text)
        var times = PostgresArray(of: .timestamptz)
        var tokens = PostgresArray(of: .uuid)
        let token = UUID()
        let moment = Date(timeIntervalSince1970: 1_764_288_000.125)  // 2025-11-28, an exact binary fraction
        ids.append(Int64.min); ids.appendNull(); ids.append(Int64(42))
        counts.append(Int32(-7)); counts.append(Int32.max); counts.appendNull()
        texts.append("plain"); texts.appendNull(); texts.append("{\"quoted\": \"a\\\\b\", \"é\": \"∑ 😀\"}")
        times.append(moment); times.appendTimestamp(millisecondsSince1970: 1_764_288_000_123); times.appendNull()
        tokens.append(token); tokens.appendNull(); tokens.append(UUID(uuidString: "00000000-0000-0000-0000-000000000001"))
        let rows = try await connection.query(
            """
            SELECT n, id, count, text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), token
            FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::timestamptz[], $5::uuid[])
                 WITH ORDINALITY AS t(id, count, text, at, token, n)
            ORDER BY n
            """, [ids, counts, texts, times, tokens])
        #expect(rows.count == 3)
        let all = Array(rows)
        #expect(try all.map { try $0.decode(1, as: Int64?.self) } == [Int64.min, nil, 42])
        #expect(try all.map { try $0.decode(2, as: Int32?.self) } == [-7, Int32.max, nil])
        #expect(try all.map { try $0.decode(3, as: String?.self) } == ["plain", nil, "{\"quoted\": \"a\\\\b\", \"é\": \"∑ 😀\"}"])
        #expect(try all.map { try $0.decode(4, as: String?.self) }
                == ["2025-11-28 00:00:00.125000", "2025-11-28 00:00:00.123000", nil])
        #expect(try all.map { try $0.decode(5, as: UUID?.self) }
                == [token, nil, UUID(uuidString: "00000000-0000-0000-0000-000000000001")])
        // An empty array is an array with no elements, not NULL.
        let empty = try await connection.query(
            "SELECT cardinality($1::text[]), $1::text[] IS NULL, (SELECT count(*) FROM unnest($1::text[]))",
            [PostgresArray(of: .text)])
        #expect(try empty.first?.decode(0, as: Int.self) == 0)
        #expect(try empty.first?.decode(1, as: Bool.self) == false)
        #expect(try empty.first?.decode(2, as: Int.self) == 0)
        // A NUL byte in text is refused by the server, with an error (PostgreSQL text cannot hold it).
        var nul = PostgresArray(of: .text)
        nul.append("a\u{0}b")
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT $1::text[]", [nul]) }
        await connection.close()
    }
}
