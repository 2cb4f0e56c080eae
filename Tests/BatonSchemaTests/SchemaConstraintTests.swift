import BatonPostgres
import BatonSchema
import Foundation
import Testing

/// The schema's own guards: status CHECKs, the transition triggers, append-only history, and the claim
/// path's index.
@Suite struct SchemaConstraintTests {
    /// A migrated database holding one state machine, one version and one RUNNING execution (id returned).
    static func migratedWithExecution(
        _ name: String, _ body: (PostgresConnection, Int64) async throws -> Void
    ) async throws {
        let database = try await SchemaTestDatabase.create(name)
        try await SchemaTestDatabase.withConnection(database) { connection in
            try await Migrator().migrate(connection)
            let definition = #"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:::function:echo","End":true}}}"#
            let rows = try await connection.query(
                """
                WITH machine AS (
                    INSERT INTO baton.state_machines (name, arn)
                    VALUES ('hello', 'arn:aws:states:local:000000000000:stateMachine:hello') RETURNING id),
                version AS (
                    INSERT INTO baton.state_machine_versions
                        (state_machine_id, version_number, revision_id, definition, definition_json)
                    SELECT id, 1, gen_random_uuid(), $1, $1::jsonb FROM machine RETURNING id, state_machine_id),
                current AS (
                    UPDATE baton.state_machines SET current_version_id = version.id FROM version
                    WHERE state_machines.id = version.state_machine_id)
                INSERT INTO baton.executions (arn, name, state_machine_id, version_id, input)
                SELECT 'arn:aws:states:local:000000000000:execution:hello:first', 'first', state_machine_id, id,
                       '{"b": 1, "a": 2}'
                FROM version RETURNING id
                """, [definition])
            try await body(connection, try #require(rows.first).decode(0, as: Int64.self))
        }
    }

    static func expectCheckViolation(
        _ connection: PostgresConnection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = [],
        mentioning text: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let error = await #expect(throws: PostgresError.self, sourceLocation: sourceLocation) {
            try await connection.execute(sql, parameters)
        }
        #expect(error?.kind == .checkViolation, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.sqlState == "23514", sourceLocation: sourceLocation)
        if let text {
            #expect(error?.description.contains(text) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        }
    }

    @Test func anUnknownExecutionStatusIsRejected() async throws {
        try await Self.migratedWithExecution("bad_execution_status") { connection, execution in
            await Self.expectCheckViolation(
                connection, "UPDATE baton.executions SET status = 'DONE' WHERE id = $1", [execution])
        }
    }

    @Test func aFinishedExecutionCannotRunAgainExceptByRedrive() async throws {
        try await Self.migratedWithExecution("execution_transitions") { connection, execution in
            try await connection.execute(
                "UPDATE baton.executions SET status = 'SUCCEEDED', output = '{}', stopped_at = now() WHERE id = $1",
                [execution])
            await Self.expectCheckViolation(
                connection, "UPDATE baton.executions SET status = 'RUNNING', output = NULL, stopped_at = NULL WHERE id = $1",
                [execution], mentioning: "from SUCCEEDED to RUNNING")
            // Without a stop time a finished status is inconsistent.
            await Self.expectCheckViolation(
                connection, "UPDATE baton.executions SET stopped_at = NULL WHERE id = $1", [execution])
        }
    }

    @Test func anExecutionNameFollowsAWSRules() async throws {
        try await Self.migratedWithExecution("execution_names") { connection, execution in
            await Self.expectCheckViolation(
                connection, "UPDATE baton.executions SET name = 'has space' WHERE id = $1", [execution])
            await Self.expectCheckViolation(
                connection, "UPDATE baton.executions SET name = 'a/b' WHERE id = $1", [execution])
        }
    }

    @Test func tasksAreClaimedThroughTheClaimIndexAndGuardTheirStatus() async throws {
        try await Self.migratedWithExecution("tasks") { connection, execution in
            try await connection.execute(
                """
                INSERT INTO baton.tasks (execution_id, state_name, function_name, resource, idempotency_key, input)
                SELECT $1, 'A', 'echo', 'arn:aws:lambda:::function:echo', 'first/A/' || n, '{}'
                FROM generate_series(1, 3) AS n
                """, [execution])
            await Self.expectCheckViolation(connection, "UPDATE baton.tasks SET status = 'done' WHERE execution_id = $1", [execution])
            // Running without a lease is inconsistent.
            await Self.expectCheckViolation(
                connection, "UPDATE baton.tasks SET status = 'running' WHERE execution_id = $1", [execution])

            let claim = """
                WITH next AS (
                    SELECT id FROM baton.tasks
                    WHERE status = 'available' AND function_name = $1 AND run_after <= now()
                    ORDER BY priority, run_after, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                UPDATE baton.tasks t SET status = 'running', lease_owner = $3, lease_token = gen_random_uuid(),
                    lease_expires_at = now() + interval '30 seconds', started_at = now(), deliveries = deliveries + 1
                FROM next WHERE t.id = next.id
                RETURNING t.id
                """
            let plan = try await connection.transaction { connection in
                try await connection.execute("SET LOCAL enable_seqscan = off")
                return try await connection.query("EXPLAIN " + claim, ["echo", 2, "worker-1"])
                    .map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
            }
            #expect(plan.contains("tasks_claim"), "the claim query does not use tasks_claim:\n\(plan)")

            let claimed = try await connection.query(claim, ["echo", 2, "worker-1"]).map { try $0.decode(0, as: Int64.self) }
            #expect(claimed.count == 2)
            let first = try #require(claimed.min())
            try await connection.execute(
                "UPDATE baton.tasks SET status = 'succeeded', output = '{}', finished_at = now() WHERE id = $1", [first])
            await Self.expectCheckViolation(
                connection,
                "UPDATE baton.tasks SET status = 'available', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = NULL, output = NULL WHERE id = $1",
                [first], mentioning: "from succeeded to available")
        }
    }

    @Test func historyIsAppendOnly() async throws {
        try await Self.migratedWithExecution("history") { connection, execution in
            try await connection.execute(
                """
                INSERT INTO baton.history_events (execution_id, event_id, previous_event_id, type, occurred_at, details)
                VALUES ($1, 1, 0, 'ExecutionStarted', now(), '{"input": "{}"}')
                """, [execution])
            await Self.expectCheckViolation(
                connection, "UPDATE baton.history_events SET type = 'ExecutionSucceeded' WHERE execution_id = $1",
                [execution], mentioning: "append-only")
            await Self.expectCheckViolation(
                connection,
                "INSERT INTO baton.history_events (execution_id, event_id, previous_event_id, type, occurred_at) VALUES ($1, 2, 2, 'PassStateEntered', now())",
                [execution])
        }
    }

    @Test func payloadsKeepTheirExactText() async throws {
        try await Self.migratedWithExecution("payload_text") { connection, execution in
            let rows = try await connection.query("SELECT input FROM baton.executions WHERE id = $1", [execution])
            #expect(try rows.first?.decode(0, as: String.self) == #"{"b": 1, "a": 2}"#)
        }
    }
}
