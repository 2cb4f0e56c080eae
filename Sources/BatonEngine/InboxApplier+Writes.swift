// The set-based end of a coordinator batch. Every execution of the batch was advanced in memory (its step
// holds the history events, the new tasks and the new execution row); here each kind is written for ALL of
// them with ONE statement — the history in one INSERT, the tasks in one enqueue (one NOTIFY per function),
// the execution rows in one UPDATE … FROM unnest (binary arrays, one per column), and for the executions that finished, what still
// ran under them — sent together in one libpq pipeline, so a batch of 64 executions costs the same round trips
// as a batch of one. Only what needs the new tasks' ids
// (callback rows and timers: `.waitForTaskToken`, TimeoutSeconds, Wait, retry back-off) and waking a parent
// is written per execution afterwards.
import BatonJSON
import BatonPostgres
import BatonQueue

extension InboxApplier {
    /// Writes what `steps` produced. `finishedTaskTimers` are the tasks whose results were applied and that
    /// have a `task_timeout` timer left to cancel.
    func write(_ steps: [ExecutionStep], finishedTaskTimers: [Int64], on connection: PostgresConnection) async throws {
        var statements: [PostgresStatement] = []
        if !finishedTaskTimers.isEmpty {
            statements.append(PostgresStatement(
                "UPDATE baton.timers SET status = 'cancelled' WHERE task_id = ANY($1::bigint[]) AND \(KeyedStatus.is("pending"))",
                [ExecutionStep.arrayLiteral(finishedTaskTimers)], statementName: "baton_engine_cancel_task_timers"))
        }
        if let history = HistoryStore().appendStatement(steps.map { ($0.executionId, $0.history) }) {
            statements.append(history)
        }
        let tasks = steps.flatMap(\.newTasks)
        let enqueued = tasks.isEmpty ? nil : statements.count
        if !tasks.isEmpty { statements.append(taskQueue.enqueueStatement(tasks)) }
        // The execution rows: one binary array per column (PostgresArray).
        var executionIds = PostgresArray(of: .int8)
        var states = PostgresArray(of: .text)
        var lastEventIds = PostgresArray(of: .int4)
        var statuses = PostgresArray(of: .text)
        var outputs = PostgresArray(of: .text)
        var errors = PostgresArray(of: .text)
        var causes = PostgresArray(of: .text)
        for step in steps {
            guard let record = try step.executionRecord() else { continue }
            if step.isFinished {
                runs.forget(executionId: step.executionId)
            } else if let root = step.root, let text = record.state {
                runs.remember(executionId: step.executionId, text: text, run: root)
            }
            executionIds.append(record.id)
            states.append(record.state)
            lastEventIds.append(Int32(record.lastEventId))
            statuses.append(record.status)
            outputs.append(record.output)
            errors.append(record.error)
            causes.append(record.cause)
        }
        if executionIds.count > 0 {
            statements.append(PostgresStatement(
                """
                UPDATE baton.executions e
                SET state = coalesce(b.state, e.state), last_event_id = b.last_event_id, status = coalesce(b.status, e.status),
                    output = b.output, error = b.error, cause = b.cause,
                    stopped_at = CASE WHEN b.status IS NULL THEN e.stopped_at ELSE now() END
                FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[])
                     AS b(id, state, last_event_id, status, output, error, cause)
                -- `= ANY($1)` lets the planner probe the primary key; joined on the unnest alone (estimated at
                -- 10 rows) it may hash a sequential scan of every execution.
                WHERE e.id = b.id AND e.id = ANY($1::bigint[])
                """, [executionIds, states, lastEventIds, statuses, outputs, errors, causes],
                statementName: "baton_engine_update_executions"))
        }
        let finished = steps.filter(\.isFinished).map(\.executionId)
        if !finished.isEmpty { statements.append(contentsOf: Self.endEverythingUnder(finished)) }
        // (No statement at all is possible — a step that only sets a timer again — and its timer is still written below.)
        let results = statements.isEmpty ? [] : try await connection.pipeline(statements)
        let ids = try enqueued.map { try TaskQueue.enqueuedIDs(results[$0]) } ?? []
        guard ids.count == tasks.count else {
            throw EngineError(.database, "the task enqueue returned \(ids.count) ids for \(tasks.count) tasks")
        }
        var offset = 0
        for step in steps {
            let count = step.newTasks.count
            let taskIds = Array(ids[offset..<offset + count])
            offset += count
            step.history.removeAll()
            if step.hasWritesAfterTasks { try await step.writeAfterTasks(taskIds: taskIds) }
            step.newTasks.removeAll()
        }
    }

    /// For executions that finished in this batch (or one failed alone): everything still open under them ends
    /// (items and fan-outs aborted, tasks and timers cancelled), and each child they wait for is asked to stop
    /// (a `stop_requested` row: it records `ExecutionAborted` saying why and stops its own children). Two
    /// statements for the whole batch; they were two per finished execution, a third of the statements of a
    /// drain of short executions.
    static func endEverythingUnder(_ executions: [Int64]) -> [PostgresStatement] {
        let ids = ExecutionStep.arrayLiteral(executions)
        return [
            PostgresStatement(
                """
                WITH items AS (
                    UPDATE baton.fan_out_items SET status = 'aborted', finished_at = now()
                    WHERE execution_id = ANY($1::bigint[]) AND status IN ('pending', 'running') RETURNING 1
                ), fan_outs AS (
                    UPDATE baton.fan_outs SET status = 'aborted', finished_at = now()
                    WHERE execution_id = ANY($1::bigint[]) AND status = 'running' RETURNING 1
                ), open_tasks AS (
                    -- Locked in id order, as a worker's batch result statement locks its tasks (no deadlock).
                    SELECT id FROM baton.tasks
                    WHERE execution_id = ANY($1::bigint[]) AND status IN ('available', 'running')
                    ORDER BY id FOR UPDATE
                ), tasks AS (
                    UPDATE baton.tasks SET status = 'cancelled', finished_at = now()
                    WHERE id = ANY (ARRAY(SELECT id FROM open_tasks)) RETURNING 1
                ), timers AS (
                    UPDATE baton.timers SET status = 'cancelled'
                    WHERE execution_id = ANY($1::bigint[]) AND \(KeyedStatus.is("pending")) RETURNING 1
                )
                SELECT 1  -- (the updates above run to completion whether or not anything reads them)
                """, [ids], statementName: "baton_engine_end_everything_under"),
            ChildExecutions.stopWaitedChildrenStatement(of: ids),
        ]
    }
}
