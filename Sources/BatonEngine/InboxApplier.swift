// The coordinator's unit of work: ONE transaction that
//   1. turns due timers into `timer_fired` inbox rows (claimed FOR UPDATE SKIP LOCKED, marked fired),
//   2. picks executions with pending inbox rows and locks them FOR NO KEY UPDATE SKIP LOCKED (another
//      coordinator takes other executions; workers' inbox inserts, whose foreign-key checks take KEY SHARE,
//      are not blocked),
//   3. deletes all those executions' inbox rows in one statement and applies each execution's rows in id
//      order through the pure core (ExecutionStep), in memory,
//   4. writes the whole batch's history, tasks and execution rows with one statement each (in one pipeline;
//      callbacks and timers, which need the new tasks' ids, after it) — all executions under ONE savepoint;
//      only when that fails, again one execution per savepoint so that a bad one fails alone,
//   5. commits.
// A coordinator killed at any point rolls all of it back: the timers are pending again, the inbox rows are
// there again, and the next coordinator does the same work. Nothing is applied twice, because applying an
// inbox row and deleting it commit together, under the execution lock.
//
// Lock order (docs/schema.md): the execution row, then its fan-outs, items, tasks, timers. Step 1 locks
// timer rows before any execution, but it never waits for an execution lock (step 2 skips locked rows), so
// it cannot take part in a deadlock.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation
import Logging

/// What one `InboxApplier.applyBatch` call did.
public struct InboxBatchReport: Sendable, Hashable {
    /// Timers that fired.
    public var timersFired = 0
    /// Executions locked and advanced.
    public var executions = 0
    /// Inbox rows applied.
    public var inboxRows = 0
    /// Executions that finished.
    public var executionsFinished = 0

    /// Whether anything was done.
    public var didWork: Bool { timersFired > 0 || inboxRows > 0 }
}

/// Applies inbox rows (and due timers) to executions; the coordinator's transaction.
public struct InboxApplier: Sendable {
    /// ARNs and the payload limit.
    public var configuration: EngineConfiguration
    /// At most this many executions per transaction.
    public var executionsPerBatch: Int
    /// At most this many due timers per transaction.
    public var timersPerBatch: Int
    /// Where problems are logged.
    public var logger: Logger
    let machines: MachineCache
    let runs: RunCache
    let taskQueue: TaskQueue

    /// An applier with these settings.
    public init(configuration: EngineConfiguration = EngineConfiguration(), executionsPerBatch: Int = 32,
                timersPerBatch: Int = 1000, logger: Logger = Logger(label: "baton.coordinator")) {
        self.configuration = configuration
        self.executionsPerBatch = executionsPerBatch
        self.timersPerBatch = timersPerBatch
        self.logger = logger
        machines = MachineCache()
        runs = RunCache()
        taskQueue = TaskQueue(logger: logger)
    }

    /// Runs one transaction of work on `connection`. Safe to call from any number of coordinators at once.
    public func applyBatch(on connection: PostgresConnection) async throws -> InboxBatchReport {
        try await connection.transaction { connection in
            var report = InboxBatchReport()
            // Due timers and candidates in one pipeline (one round trip); the candidate read runs after the
            // timer statement, so it sees the inbox rows that statement inserted.
            let prologue = try await connection.pipeline([fireDueTimersStatement(), PostgresStatement(
                """
                -- Candidates: the executions of the oldest available inbox rows (a plain read of the first rows
                -- of inbox_claim, however long the backlog). Lock as many as fit the batch, skipping those
                -- another coordinator holds (`= ANY (ARRAY(…))`: one primary-key probe per candidate, in id order,
                -- stopping at the batch size; the machine and version are joined only to the locked rows). The
                -- execution's columns come from the locking scan itself: FOR UPDATE returns the row version it
                -- locked, newer than the statement's snapshot when another coordinator committed in between.
                -- The limits are literals, not parameters: with parameters PostgreSQL judged its generic plan
                -- costlier and planned the statement afresh on every call.
                WITH locked AS (
                    SELECT e.id, e.state, e.last_event_id, e.status, e.version_id, e.arn, e.name, e.input, e.started_at,
                           e.redrive_count, e.parent_waits, e.state_machine_id
                    FROM baton.executions e
                    WHERE e.id = ANY (ARRAY(
                        SELECT execution_id FROM baton.inbox WHERE available_at <= now() ORDER BY available_at, id
                        LIMIT \(executionsPerBatch * 4)))
                    ORDER BY e.id
                    LIMIT \(executionsPerBatch)
                    FOR NO KEY UPDATE OF e SKIP LOCKED
                )
                SELECT e.id, e.state, e.last_event_id, e.status, e.version_id, e.arn, e.name, e.input, e.started_at,
                       e.redrive_count, m.arn, m.name, v.role_arn, e.parent_waits
                FROM locked e
                JOIN baton.state_machines m ON m.id = e.state_machine_id
                JOIN baton.state_machine_versions v ON v.id = e.version_id
                ORDER BY e.id
                """, [], statementName: "baton_engine_lock_executions_\(executionsPerBatch)")])
            report.timersFired = prologue[0].affectedRows
            let executions = Array(prologue[1])
            guard !executions.isEmpty else { return report }
            // The locked executions' inbox rows, all in one statement, then a savepoint in the same round trip:
            // when anything after it fails, the batch is rolled back to it (the execution locks and the taken
            // rows stay) and applied again one execution at a time, each in a savepoint of its own, below.
            let ids = try executions.map { try $0.decode(0, as: Int64.self) }
            let taken = try await takeInbox(of: ids, thenSavepoint: Self.batchSavepoint, on: connection)
            do {
                try await advance(executions, taken: taken, report: &report, on: connection)
                return report  // (the savepoint is committed with the transaction; no RELEASE needed)
            } catch {
                if connection.isBroken || error is CancellationError || Task.isCancelled { throw error }
                logger.warning("a batch of executions failed; applying them one at a time",
                               metadata: ["error": .string("\(error)")])
                try await connection.pipeline([PostgresStatement("ROLLBACK TO SAVEPOINT \(Self.batchSavepoint)")])
            }
            for row in executions {
                let id = try row.decode(0, as: Int64.self)
                do {
                    // A savepoint per execution: an execution the engine cannot advance (a bug, bad stored
                    // state) is failed on its own instead of blocking every execution batched with it.
                    let one = try await connection.transaction { connection in
                        var one = InboxBatchReport()
                        try await advance([row], taken: taken, report: &one, on: connection)
                        return one
                    }
                    report.executions += one.executions
                    report.inboxRows += one.inboxRows
                    report.executionsFinished += one.executionsFinished
                } catch {
                    if connection.isBroken || error is CancellationError || Task.isCancelled || Self.isTransient(error) {
                        throw error  // the whole batch rolls back; the coordinator applies it again
                    }
                    logger.error("could not advance the execution; failing it with States.Runtime",
                                 metadata: ["execution.id": .stringConvertible(id), "error": .string("\(error)")])
                    try await failExecution(id, cause: "Baton's coordinator could not advance this execution: \(error)",
                                            on: connection)
                    report.executions += 1
                    report.inboxRows += 1
                }
            }
            return report
        }
    }

    static let batchSavepoint = "baton_batch"

    /// A failure that says nothing about the execution (a deadlock, a serialization failure): applying it
    /// again later will do, so it must not fail the execution. (A statement timeout may recur every time: an
    /// execution that keeps hitting one still fails alone rather than holding back its batch for good.)
    static func isTransient(_ error: any Error) -> Bool {
        (error as? PostgresError)?.isRetryableTransactionFailure == true
    }

    /// Applies each locked execution's taken inbox rows through the core, in memory (Map and Parallel steps
    /// also read and write their item rows), then writes all of their history, tasks and execution rows with
    /// one statement each (InboxApplier+Writes.swift).
    private func advance(_ executions: [PostgresRow], taken: TakenInbox, report: inout InboxBatchReport,
                         on connection: PostgresConnection) async throws {
        var steps: [ExecutionStep] = []
        steps.reserveCapacity(executions.count)
        var finishedTaskTimers: [Int64] = []
        for row in executions {
            let id = try row.decode(0, as: Int64.self)
            let rows = taken.rows[id] ?? []
            report.executions += 1
            report.inboxRows += rows.count
            // Late work for a finished execution is dropped; a redrive request is the work a PENDING_REDRIVE one waits for.
            let status = try row.decode(3, as: String.self)
            guard status == "RUNNING" || status == "PENDING_REDRIVE", !rows.isEmpty else { continue }
            let step = try await makeStep(row, on: connection)
            for inboxRow in rows {
                try await apply(inboxRow, to: step, tasks: taken.tasks, timers: taken.timers)
                try await step.drain()
                if step.isFinished { break }
            }
            if step.isFinished {
                report.executionsFinished += 1
            } else {
                // Results arrived for tasks with TimeoutSeconds: their task_timeout timers have nothing left to do.
                finishedTaskTimers += rows.filter { $0.kind == "task_finished" }.compactMap(\.taskId)
                    .filter { taken.tasks[$0]?.timeoutSeconds != nil }
            }
            try await step.writeItemsAndFanOuts()
            steps.append(step)
        }
        try await write(steps, finishedTaskTimers: finishedTaskTimers, on: connection)
    }

    /// Fails an execution the engine cannot advance: ExecutionFailed (States.Runtime) in its history, its
    /// inbox rows dropped, everything under it aborted or cancelled.
    private func failExecution(_ id: Int64, cause: String, on connection: PostgresConnection) async throws {
        let details = JSON.object(["error": "States.Runtime", "cause": .string(cause)])
        try await connection.execute(
            """
            WITH failed AS (
                UPDATE baton.executions SET status = 'FAILED', error = 'States.Runtime', cause = $2, stopped_at = now(),
                    last_event_id = last_event_id + 1
                WHERE id = $1 AND \(KeyedStatus.is("RUNNING")) RETURNING id, last_event_id
            )
            INSERT INTO baton.history_events (execution_id, event_id, previous_event_id, type, occurred_at, details)
            SELECT id, last_event_id, last_event_id - 1, 'ExecutionFailed', now(), $3 FROM failed
            """, [id, cause, details])
        try await connection.execute("DELETE FROM baton.inbox WHERE execution_id = $1", [id])
        _ = try await connection.pipeline(Self.endEverythingUnder([id]))
        try await ChildExecutions.wakeParent(of: id, on: connection)
    }

    struct InboxRow {
        var id: Int64
        var executionId: Int64
        var fanOutItemId: Int64?
        var kind: String
        var taskId: Int64?
        var timerId: Int64?
        var childExecutionId: Int64?
        var details: JSON?
    }

    struct TaskRow {
        var stateName: String
        var attempt: Int
        var status: String
        var output: String?
        var error: String?
        var cause: String?
        var timeoutSeconds: Int?
        /// When the task's current delivery was claimed (nil: never claimed).
        var startedAt: Date?
    }

    struct TimerRow {
        var kind: String
        var taskId: Int64?
        var payload: JSON?
    }

    /// Turns due timers into `timer_fired` inbox rows (its affected rows: how many fired).
    private func fireDueTimersStatement() -> PostgresStatement {
        PostgresStatement(
            """
            WITH due AS (
                -- `(SELECT clock_timestamp())` is computed once, so it bounds the timers_due scan: a bare
                -- clock_timestamp() (volatile) is a filter, and every pending timer was read and sorted each time.
                SELECT id FROM baton.timers WHERE status = 'pending' AND due_at <= (SELECT clock_timestamp())
                ORDER BY due_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
            ), fired AS (
                UPDATE baton.timers t SET status = 'fired', fired_at = clock_timestamp() FROM due WHERE t.id = due.id
                RETURNING t.id, t.execution_id, t.fan_out_item_id
            )
            INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, timer_id, available_at)
            SELECT execution_id, fan_out_item_id, 'timer_fired', id, now() FROM fired
            """, [timersPerBatch], statementName: "baton_engine_fire_timers")
    }

    private func makeStep(_ row: PostgresRow, on connection: PostgresConnection) async throws -> ExecutionStep {
        let machine = try await machines.machine(versionId: try row.decode(4), on: connection)
        let inputText = try row.decode(7, as: String.self)
        let input = try JSON(parsing: inputText)
        let context = ExecutionContext(
            executionArn: try row.decode(5), executionName: try row.decode(6), input: input, startTime: try row.decode(8),
            roleArn: try row.decode(12, as: String?.self) ?? configuration.defaultRoleArn, redriveCount: try row.decode(9),
            stateMachineArn: try row.decode(10), stateMachineName: try row.decode(11))
        let environment = RunEnvironment(machine: machine.machine, execution: context, payloadSizeLimit: configuration.payloadSizeLimit,
                                         taskTokenNonce: machine.makesTaskTokens ? CallbackToken.makeNonce() : nil)
        let id = try row.decode(0, as: Int64.self)
        let root = try row.decode(1, as: String?.self).map { try runs.run(executionId: id, text: $0) }
        var logger = self.logger
        logger[metadataKey: "execution.id"] = .stringConvertible(id)
        return ExecutionStep(executionId: id, connection: connection, environment: environment,
                             configuration: configuration, parentWaits: try row.decode(13),
                             lastEventId: try row.decode(2), root: root, logger: logger)
    }

    private func apply(_ row: InboxRow, to step: ExecutionStep, tasks: [Int64: TaskRow], timers: [Int64: TimerRow]) async throws {
        let key = RunKey(itemId: row.fanOutItemId)
        switch row.kind {
        case "execution_started":
            // Already started: a duplicate row. (A DISTRIBUTED Map item's child comes with its run, not started.)
            guard step.root == nil || step.lastEventId == 0 else { return }
            if step.root == nil { step.root = Run(block: .root, kind: .execution, input: step.environment.execution.input) }
            step.enqueue(.start(.root))
        case "task_started":
            guard let taskId = row.taskId, let task = tasks[taskId],
                  let pending = try await pendingTask(of: key, matching: task, in: step) else { return }
            started(pending, task, key: key, step: step)
        case "task_finished":
            guard let taskId = row.taskId, let task = tasks[taskId],
                  let pending = try await pendingTask(of: key, matching: task, in: step) else {
                step.logger.debug("ignored a stale task result", metadata: ["task.id": .stringConvertible(row.taskId ?? 0)])
                return
            }
            started(pending, task, key: key, step: step)  // a quick task was not announced: TaskStarted first
            if pending.taskToken != nil {
                // A callback task: its function's success only starts the wait for the token; a failure ends it.
                guard task.status == "failed" else { return }
                try await step.closeCallbacks(taskId: taskId)
            }
            switch task.status {
            case "succeeded":
                if let text = task.output, let output = try? JSON(parsing: text) {
                    step.enqueue(.event(key, .taskSucceeded(taskId: pending.id, output: output)))
                } else {
                    step.enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(
                        error: "States.TaskFailed", cause: "The function \(pending.functionName) returned output that is not JSON"))))
                }
            case "failed":
                step.enqueue(.event(key, .taskFailed(taskId: pending.id, failure: task.failure(for: pending))))
            default:
                return  // cancelled: the run no longer waits for it
            }
        case "timer_fired":
            guard let timerId = row.timerId, let timer = timers[timerId] else { return }
            if timer.payload?["callbackId"] != nil {
                try await step.applyCallbackTimer(timerId, to: key)  // a callback's TimeoutSeconds/HeartbeatSeconds
            } else if timer.kind == "task_timeout" {
                try await taskTimedOut(timer, key: key, step: step)
            } else if let action = timer.payload?["actionId"]?.intValue {
                step.enqueue(.event(key, .timerFired(timerId: action)))
            }
        case "child_finished":
            guard let child = row.childExecutionId else { return }
            try await step.childFinished(child, key: key)
        case "redrive_requested":
            try await step.redrive()
        case "map_run_updated":
            guard let fanOutId = row.details?["fanOutId"]?.intValue else { return }
            try await step.mapRunUpdated(Int64(fanOutId))
        case "callback_finished":
            guard let callbackId = row.details?["callbackId"]?.intValue else { return }
            try await step.applyCallback(Int64(callbackId), to: key)
        case "stop_requested":
            guard step.root != nil else {
                // Stopped before it started: start it, then stop it, so its history says both.
                step.root = Run(block: .root, kind: .execution, input: step.environment.execution.input)
                step.enqueue(.start(.root))
                try await step.drain()
                try await step.stopRun(.root, error: row.details?["error"]?.stringValue, cause: row.details?["cause"]?.stringValue)
                return
            }
            try await step.stopRun(.root, error: row.details?["error"]?.stringValue, cause: row.details?["cause"]?.stringValue)
        default:
            step.logger.warning("ignored an inbox row of a kind this coordinator does not handle yet",
                                metadata: ["inbox.kind": .string(row.kind)])
        }
    }

    /// Records TaskStarted for a claimed task whose start the run has not seen, stamped with the claim time
    /// (the core ignores a second report, so an announcement and a result may both ask for it).
    private func started(_ pending: TaskRequest, _ task: TaskRow, key: RunKey, step: ExecutionStep) {
        guard pending.started != true, let startedAt = task.startedAt else { return }
        step.enqueue(.event(key, .taskStarted(taskId: pending.id), at: startedAt))
    }

    /// The run's task in flight when `task` is it (same state and attempt); a row for anything else is stale.
    private func pendingTask(of key: RunKey, matching task: TaskRow, in step: ExecutionStep) async throws -> TaskRequest? {
        guard let run = try await step.loadRun(key), let pending = run.pendingTask,
              pending.stateName == task.stateName, pending.attempt + 1 == task.attempt else { return nil }
        return pending
    }

    /// A Task state's TimeoutSeconds passed (counted from scheduling). For a queued task: fail its row if still
    /// open (so a worker's late result is fenced out and the worker is told to stop) and the state with
    /// States.Timeout; for a child execution waited for, stop the child and fail the state.
    private func taskTimedOut(_ timer: TimerRow, key: RunKey, step: ExecutionStep) async throws {
        if let child = timer.payload?["childExecutionId"]?.intValue, let attempt = timer.payload?["attempt"]?.intValue,
           let state = timer.payload?["stateName"]?.stringValue {
            try await step.childWaitTimedOut(Int64(child), attempt: attempt, key: key, state: state)
            return
        }
        guard let taskId = timer.taskId else { return }
        let rows = try await step.connection.query(
            """
            UPDATE baton.tasks SET status = 'failed', error = 'States.Timeout', cause = NULL, finished_at = now(),
                lease_expires_at = NULL
            WHERE id = $1 AND status IN ('available', 'running')
            RETURNING state_name, attempt, started_at
            """, [taskId], statementName: "baton_engine_time_out_task")
        guard let row = rows.first else { return }  // finished first: its result is (or was) applied instead
        let task = TaskRow(stateName: try row.decode(0), attempt: try row.decode(1), status: "failed", startedAt: try row.decode(2))
        guard let pending = try await pendingTask(of: key, matching: task, in: step) else { return }
        started(pending, task, key: key, step: step)
        step.enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(error: "States.Timeout", cause: nil))))
    }
}
