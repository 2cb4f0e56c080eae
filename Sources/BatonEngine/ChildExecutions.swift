// Child executions (states:startExecution): the statements that link a child and its parent, and the
// output and error shapes AWS gives the parent's Task state.
//
// A child is an ordinary execution row with parent_execution_id / parent_fan_out_item_id /
// parent_state_name / parent_task_attempt set, started in the parent's transaction. When the parent waits
// (.sync, .sync:2: parent_waits), the child's final transaction inserts a `child_finished` inbox row for the
// parent (wakeParent), and the parent matches it with its Task state in flight by state name and attempt.
// When the parent ends, or the run that waits is stopped, the children it waits for get a `stop_requested`
// inbox row (stopWaitedChildren); they stop their own children the same way, so stopping is recursive.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

/// How a child execution is tied to the parent's Task state that started it.
struct ParentLink: Sendable {
    var executionId: Int64
    var fanOutItemId: Int64?
    var stateName: String
    /// The parent task's attempt, 1-based (baton.tasks.attempt's numbering).
    var attempt: Int
    /// `.sync` / `.sync:2`: the parent waits for the child to finish.
    var waits: Bool
}

enum ChildExecutions {
    /// In a finished child's final transaction: wakes the parent waiting for it (a `child_finished` inbox row
    /// and a NOTIFY). Does nothing for an execution nobody waits for.
    static func wakeParent(of executionId: Int64, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH child AS (
                SELECT id, parent_execution_id, parent_fan_out_item_id FROM baton.executions
                WHERE id = $1 AND parent_waits AND parent_execution_id IS NOT NULL
            ), queued AS (
                INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, child_execution_id)
                SELECT parent_execution_id, parent_fan_out_item_id, 'child_finished', id FROM child
                RETURNING id
            )
            SELECT pg_notify('\(QueueChannel.inbox)', 'child_finished') FROM queued
            """, [executionId], statementName: "baton_engine_wake_parent")
    }

    /// Asks every running child that execution `executionId` waits for (of one Map item or Parallel branch,
    /// when `item` is given; only `child`, when given) to stop; each records `ExecutionAborted` saying why, and
    /// stops its own children in turn.
    static func stopWaitedChildren(of executionId: Int64, item: Int64? = nil, child: Int64? = nil,
                                   on connection: PostgresConnection) async throws {
        try await connection.execute(
            stopRequests(children: """
                SELECT c.id, p.arn AS parent_arn FROM baton.executions c JOIN baton.executions p ON p.id = c.parent_execution_id
                WHERE c.parent_execution_id = $1 AND ($2::bigint IS NULL OR c.parent_fan_out_item_id = $2)
                  AND ($3::bigint IS NULL OR c.id = $3) AND c.parent_waits AND \(KeyedStatus.is("RUNNING", alias: "c"))
                """), [executionId, item, child], statementName: "baton_engine_stop_children")
    }

    /// `stopWaitedChildren` for every execution of `executions` (a bigint[] literal) at once: the executions
    /// of a coordinator batch that finished.
    static func stopWaitedChildrenStatement(of executions: String) -> PostgresStatement {
        PostgresStatement(
            stopRequests(children: """
                SELECT c.id, p.arn AS parent_arn FROM baton.executions c JOIN baton.executions p ON p.id = c.parent_execution_id
                WHERE c.parent_execution_id = ANY($1::bigint[]) AND c.parent_waits AND \(KeyedStatus.is("RUNNING", alias: "c"))
                """), [executions], statementName: "baton_engine_stop_children_of_finished")
    }

    /// A `stop_requested` inbox row (saying which parent stopped waiting) for each child `children` selects
    /// (`id`, `parent_arn`), and one NOTIFY when there is any.
    private static func stopRequests(children: String) -> String {
        """
        WITH children AS (
        \(children)
        ), queued AS (
            INSERT INTO baton.inbox (execution_id, kind, details)
            SELECT id, 'stop_requested', jsonb_build_object('cause', format(
                'Stopped by the parent execution %s, which no longer waits for it (it ended, timed out waiting or left the state that started it)',
                parent_arn))
            FROM children
            RETURNING id
        )
        SELECT pg_notify('\(QueueChannel.inbox)', 'stop_requested') FROM (SELECT 1 FROM queued LIMIT 1) AS any_queued
        """
    }

    /// The link of execution `id` to its parent: the state that started it and the attempt (nil for a
    /// DISTRIBUTED Map item's child), or nil when it has no parent.
    static func link(of id: Int64, on connection: PostgresConnection) async throws -> (state: String, attempt: Int?)? {
        let rows = try await connection.query(
            "SELECT parent_state_name, parent_task_attempt FROM baton.executions WHERE id = $1",
            [id], statementName: "baton_engine_child_link")
        guard let row = rows.first, let state = try row.decode(0, as: String?.self) else { return nil }
        return (state, try row.decode(1, as: Int?.self))
    }

    // MARK: AWS's shapes

    /// The request-response output: `{"ExecutionArn", "StartDate"}`.
    static func startOutput(_ child: ExecutionDescription) -> JSON {
        ["ExecutionArn": .string(child.arn), "StartDate": epochMilliseconds(child.startDate)]
    }

    /// DescribeExecution's shape with AWS's capitalised keys (in AWS's alphabetical order), as `.sync` gives
    /// it: `Input` and `Output` as JSON text, or, for `.sync:2`, as JSON values.
    static func describeOutput(_ child: ExecutionDescription, parsed: Bool) -> JSON {
        func payload(_ text: String) -> JSON {
            parsed ? ((try? JSON(parsing: text)) ?? .string(text)) : .string(text)
        }
        var object = JSONObject()
        if let cause = child.cause { object["Cause"] = .string(cause) }
        if let error = child.error { object["Error"] = .string(error) }
        object["ExecutionArn"] = .string(child.arn)
        object["Input"] = payload(child.input)
        object["InputDetails"] = ["Included": true]
        object["Name"] = .string(child.name)
        if let output = child.output {
            object["Output"] = payload(output)
            object["OutputDetails"] = ["Included": true]
        }
        object["StartDate"] = epochMilliseconds(child.startDate)
        object["StateMachineArn"] = .string(child.stateMachineArn)
        object["Status"] = .string(child.status)
        if let stop = child.stopDate { object["StopDate"] = epochMilliseconds(stop) }
        return .object(object)
    }

    /// What the parent's Task state gets when the child it waited for ended: its output, or, when it failed,
    /// timed out or was aborted, `States.TaskFailed` with the child's description as the cause (as AWS does).
    static func result(of child: ExecutionDescription, parsed: Bool) -> Result<JSON, RunFailure> {
        let description = describeOutput(child, parsed: parsed)
        if child.status == "SUCCEEDED" { return .success(description) }
        return .failure(RunFailure(error: "States.TaskFailed", cause: description.serialized()))
    }

    /// AWS's service integrations give dates as epoch milliseconds.
    static func epochMilliseconds(_ date: Date) -> JSON {
        .number(.int(Int64((date.timeIntervalSince1970 * 1000).rounded())))
    }
}
