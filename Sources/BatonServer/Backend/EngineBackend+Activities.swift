// Activities (baton.activities) and tags (baton.resource_tags) in PostgreSQL. Creating an activity is
// idempotent by name, as on AWS (tags given again are ignored); tags are keyed by ARN and removed with their
// resource by a trigger. TagResource writes and counts in one transaction, so a request that would pass 50
// tags changes nothing.
import BatonJSON
import BatonPostgres
import Foundation

extension EngineBackend {
    public func createActivity(name: String, tags: [ResourceTag]) async throws -> ActivityRecord {
        let arn = "arn:aws:states:\(configuration.region):\(configuration.account):activity:\(name)"
        return try await runQueue("CreateActivity") { connection in
            try await connection.transaction { connection in
                let inserted = try await connection.query(
                    """
                    INSERT INTO baton.activities (name, arn) VALUES ($1, $2)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [name, arn])
                if !inserted.isEmpty, !tags.isEmpty {
                    try await Self.writeTags(tags, arn: arn, on: connection)
                }
                let rows = try await connection.query("SELECT created_at FROM baton.activities WHERE name = $1", [name])
                return ActivityRecord(name: name, arn: arn, creationDate: try rows[0].decode(0))
            }
        }
    }

    public func deleteActivity(name: String) async throws {
        _ = try await runQueue("DeleteActivity") { connection in
            try await connection.execute("DELETE FROM baton.activities WHERE name = $1", [name])
        }
    }

    public func describeActivity(name: String) async throws -> ActivityRecord? {
        try await runQueue("DescribeActivity") { connection in
            let rows = try await connection.query("SELECT name, arn, created_at FROM baton.activities WHERE name = $1", [name])
            return try rows.first.map(Self.activity(from:))
        }
    }

    public func listActivities(afterName: String?, limit: Int) async throws -> [ActivityRecord] {
        try await runQueue("ListActivities") { connection in
            let rows = try await connection.query(
                """
                SELECT name, arn, created_at FROM baton.activities
                WHERE $1::text IS NULL OR name > $1 ORDER BY name LIMIT $2
                """, [afterName, limit])
            return try rows.map(Self.activity(from:))
        }
    }

    public func tagResource(arn: String, tags: [ResourceTag]) async throws {
        try await runQueue("TagResource") { connection in
            try await connection.transaction { connection in
                try await Self.requireResource(arn, on: connection)
                try await Self.writeTags(tags, arn: arn, on: connection)
            }
        }
    }

    public func untagResource(arn: String, keys: [String]) async throws {
        try await runQueue("UntagResource") { connection in
            try await Self.requireResource(arn, on: connection)
            try await connection.execute(
                """
                DELETE FROM baton.resource_tags
                WHERE resource_arn = $1 AND key IN (SELECT jsonb_array_elements_text($2::jsonb))
                """, [arn, JSON.array(keys.map { .string($0) })])
        }
    }

    public func listTags(arn: String) async throws -> [ResourceTag] {
        try await runQueue("ListTagsForResource") { connection in
            try await Self.requireResource(arn, on: connection)
            let rows = try await connection.query(
                "SELECT key, value FROM baton.resource_tags WHERE resource_arn = $1 ORDER BY key", [arn])
            return try rows.map { ResourceTag(key: try $0.decode(0), value: try $0.decode(1)) }
        }
    }

    /// Upserts `tags` of `arn` and refuses (TooManyTags, rolled back by the caller's transaction) past the limit.
    static func writeTags(_ tags: [ResourceTag], arn: String, on connection: PostgresConnection) async throws {
        let records = JSON.array(tags.map { ["key": .string($0.key), "value": .string($0.value)] })
        try await connection.execute(
            """
            INSERT INTO baton.resource_tags (resource_arn, key, value)
            SELECT $1, t.key, t.value FROM jsonb_to_recordset($2::jsonb) AS t(key text, value text)
            ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value, created_at = now()
            """, [arn, records])
        let count = try await connection.query("SELECT count(*)::integer FROM baton.resource_tags WHERE resource_arn = $1", [arn])
        if try count[0].decode(0, as: Int.self) > TagLimits.perResource {
            throw APIError(
                "TooManyTags", "Too many tags: a resource may have at most \(TagLimits.perResource) tags ('\(arn)')",
                extra: ["resourceName": arn])
        }
    }

    /// ResourceNotFound unless `arn` is a state machine or activity stored here.
    static func requireResource(_ arn: String, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT 1 FROM baton.state_machines WHERE arn = $1
            UNION ALL SELECT 1 FROM baton.activities WHERE arn = $1
            """, [arn])
        if rows.isEmpty { throw APIError.resourceNotFound(arn) }
    }

    static func activity(from row: PostgresRow) throws -> ActivityRecord {
        ActivityRecord(name: try row.decode(0), arn: try row.decode(1), creationDate: try row.decode(2))
    }
}
