import BatonPostgres
import BatonSchema
import Foundation
import Testing

/// Retention is `DELETE FROM baton.executions …`: everything that belongs to a deleted execution goes with it,
/// whether through a foreign key's cascade (timers, Map items, …) or, for history, tasks and the inbox (no
/// foreign keys since 0006 and 0010), the statement-level triggers `executions_delete_history` and
/// `executions_delete_tasks_and_inbox`; other executions keep theirs.
@Suite struct ExecutionDeletionTests {
    /// Adds a second execution of the same version and gives both three history events, a task and an inbox
    /// row naming that task; returns the second execution's id.
    static func populate(_ connection: PostgresConnection, first: Int64) async throws -> Int64 {
        let second = try #require(try await connection.query(
            """
            INSERT INTO baton.executions (arn, name, state_machine_id, version_id, input)
            SELECT 'arn:aws:states:local:000000000000:execution:hello:second', 'second', state_machine_id, version_id, '{}'
            FROM baton.executions WHERE id = $1 RETURNING id
            """, [first]).first).decode(0, as: Int64.self)
        for execution in [first, second] {
            try await connection.execute(
                """
                INSERT INTO baton.history_events (execution_id, event_id, previous_event_id, type, occurred_at)
                SELECT $1, n, n - 1, 'PassStateEntered', now() FROM generate_series(1, 3) AS n
                """, [execution])
            try await connection.execute(
                """
                WITH task AS (
                    INSERT INTO baton.tasks (execution_id, state_name, function_name, resource, idempotency_key, input)
                    VALUES ($1, 'A', 'echo', 'arn:aws:lambda:::function:echo', $1::text || '/A/1', '{}') RETURNING id)
                INSERT INTO baton.inbox (execution_id, kind, task_id) SELECT $1, 'task_started', id FROM task
                """, [execution])
        }
        return second
    }

    static func count(_ connection: PostgresConnection, _ table: String, _ execution: Int64) async throws -> Int {
        try await connection.query("SELECT count(*) FROM baton.\(table) WHERE execution_id = $1", [execution])
            .first!.decode(0, as: Int.self)
    }

    @Test func deletingAnExecutionDeletesItsHistoryTasksAndInboxOnly() async throws {
        try await SchemaConstraintTests.migratedWithExecution("delete_one_execution") { connection, first in
            let second = try await Self.populate(connection, first: first)
            try await connection.execute("DELETE FROM baton.executions WHERE id = $1", [first])
            for table in ["history_events", "tasks", "inbox"] {
                #expect(try await Self.count(connection, table, first) == 0, "\(table) of the deleted execution")
            }
            #expect(try await Self.count(connection, "history_events", second) == 3)
            #expect(try await Self.count(connection, "tasks", second) == 1)
            #expect(try await Self.count(connection, "inbox", second) == 1)
        }
    }

    @Test func oneStatementDeletingSeveralExecutionsDeletesAllTheirHistory() async throws {
        try await SchemaConstraintTests.migratedWithExecution("delete_executions") { connection, first in
            _ = try await Self.populate(connection, first: first)
            try await connection.execute("DELETE FROM baton.executions WHERE name IN ('first', 'second')")
            for table in ["history_events", "tasks", "inbox"] {
                #expect(try await connection.query("SELECT count(*) FROM baton.\(table)").first!.decode(0, as: Int.self) == 0, "\(table)")
            }
        }
    }

    @Test func truncatingExecutionsEmptiesHistoryTasksAndInbox() async throws {
        try await SchemaConstraintTests.migratedWithExecution("truncate_executions") { connection, first in
            _ = try await Self.populate(connection, first: first)
            try await connection.execute("TRUNCATE baton.executions CASCADE")
            for table in ["history_events", "tasks", "inbox"] {
                #expect(try await connection.query("SELECT count(*) FROM baton.\(table)").first!.decode(0, as: Int.self) == 0, "\(table)")
            }
        }
    }
}
