// Taking the locked executions' inbox rows, with the task and timer rows they refer to, in ONE statement for
// the whole batch: the DELETE … RETURNING runs in a data-modifying CTE and the outer SELECT joins its rows to
// baton.tasks and baton.timers. That is one round trip per batch where there were three per execution
// (delete, load tasks, load timers). The join
// reads the snapshot taken at the statement's start, which holds every task and timer change committed with
// the inbox rows it deletes (a worker writes its result and the inbox row in one transaction; a timer is
// marked fired in the transaction that inserts its inbox row, or earlier in this one).
import BatonJSON
import BatonPostgres

extension InboxApplier {
    /// What `takeInbox` returns: each execution's rows in id order and the task and timer rows they name.
    struct TakenInbox {
        var rows: [Int64: [InboxRow]] = [:]
        var tasks: [Int64: TaskRow] = [:]
        var timers: [Int64: TimerRow] = [:]
    }

    /// Deletes the available inbox rows of executions `ids` and returns them with their tasks and timers; then,
    /// in the same round trip, sets `savepoint`.
    func takeInbox(of ids: [Int64], thenSavepoint savepoint: String,
                   on connection: PostgresConnection) async throws -> TakenInbox {
        let result = try await connection.pipeline([PostgresStatement(
            """
            WITH taken AS (
                DELETE FROM baton.inbox WHERE execution_id = ANY($1::bigint[]) AND available_at <= now()
                RETURNING id, execution_id, fan_out_item_id, kind, task_id, timer_id, child_execution_id, details
            )
            -- LATERAL … LIMIT 1: one primary-key probe per taken row, whatever the tables' statistics say.
            SELECT i.id, i.execution_id, i.fan_out_item_id, i.kind, i.task_id, i.timer_id, i.child_execution_id, i.details,
                   t.state_name, t.attempt, t.status, t.output, t.error, t.cause, t.timeout_seconds,
                   r.kind, r.task_id, r.payload, t.started_at
            FROM taken i
            LEFT JOIN LATERAL (
                SELECT state_name, attempt, status, output, error, cause, timeout_seconds, started_at
                FROM baton.tasks WHERE id = i.task_id LIMIT 1) t ON true
            LEFT JOIN LATERAL (
                SELECT kind, task_id, payload FROM baton.timers WHERE id = i.timer_id LIMIT 1) r ON true
            ORDER BY i.id
            """, [ExecutionStep.arrayLiteral(ids)], statementName: "baton_engine_take_inboxes"),
            PostgresStatement("SAVEPOINT \(savepoint)"),
        ])
        var taken = TakenInbox()
        for row in result[0] {
            let inbox = InboxRow(
                id: try row.decode(0), executionId: try row.decode(1), fanOutItemId: try row.decode(2),
                kind: try row.decode(3), taskId: try row.decode(4), timerId: try row.decode(5),
                childExecutionId: try row.decode(6), details: try row.decode(7))
            taken.rows[inbox.executionId, default: []].append(inbox)
            if let taskId = inbox.taskId, let stateName = try row.decode(8, as: String?.self) {
                taken.tasks[taskId] = TaskRow(
                    stateName: stateName, attempt: try row.decode(9), status: try row.decode(10),
                    output: try row.decode(11), error: try row.decode(12), cause: try row.decode(13),
                    timeoutSeconds: try row.decode(14), startedAt: try row.decode(18))
            }
            if let timerId = inbox.timerId, let kind = try row.decode(15, as: String?.self) {
                taken.timers[timerId] = TimerRow(
                    kind: kind, taskId: try row.decode(16),
                    payload: try row.decode(17, as: String?.self).flatMap { try? JSON(parsing: $0) })
            }
        }
        return taken
    }
}
