// The rescuer: what happens to running tasks whose holder stopped answering or whose deadlines passed. A
// coordinator runs `rescue` periodically (any number of coordinators may: every step locks with SKIP LOCKED or
// is idempotent, so two rescuers never act on the same task).
//
// One transaction:
// 1. Workers whose registry heartbeat is older than `workerStaleAfter` are marked `lost`.
// 2. Running tasks are picked (FOR UPDATE SKIP LOCKED) when a deadline passed —
//    least(lease_expires_at, timeout_at, heartbeat_deadline_at) <= now(), served by `tasks_running_deadline` —
//    or their holder is lost or stopped (`tasks_running_by_owner`).
// 3. Each is decided, in this order:
//    - timeout_at passed                               → failed, States.Timeout (the state's time is up, whoever ran it)
//    - holder gone (lease expired, worker lost/stopped) → back to `available` for another worker (the next claim issues
//      a new lease token, so the old holder's late result is fenced out) — or, once it has been delivered
//      `max_deliveries` times, failed with States.TaskFailed and a cause saying the worker was lost
//    - heartbeat_deadline_at passed (holder alive)     → failed, States.HeartbeatTimeout
// 4. Each failure writes a `task_finished` inbox row and NOTIFYs the coordinators, exactly like a worker's result;
//    each redelivery NOTIFYs the function's workers.
// AWS records TaskTimedOut with the error and no cause, so Timeout and HeartbeatTimeout carry no cause here either.
import BatonPostgres
import Foundation
import Logging

/// Settings of the rescuer.
public struct RescueConfiguration: Sendable {
    /// A worker whose last registry heartbeat is older than this is marked lost and its tasks are redelivered.
    public var workerStaleAfter: Double
    /// At most this many tasks are handled per call (call again while `RescueReport.isFull`).
    public var batchLimit: Int

    /// Settings with the given values (defaults: 30 s, 1,000 tasks).
    public init(workerStaleAfter: Double = 30, batchLimit: Int = 1000) {
        self.workerStaleAfter = workerStaleAfter
        self.batchLimit = batchLimit
    }
}

/// What one `TaskRescuer.rescue` call did.
public struct RescueReport: Sendable, Equatable {
    /// One task the rescuer acted on.
    public struct Action: Sendable, Equatable {
        /// What the rescuer did.
        public enum Kind: String, Sendable {
            /// Put back to `available` for another worker.
            case redelivered
            /// Failed with `States.Timeout`.
            case timedOut
            /// Failed with `States.HeartbeatTimeout`.
            case heartbeatTimedOut
            /// Failed with `States.TaskFailed`: its workers were lost `max_deliveries` times.
            case workerLost
        }
        /// The task.
        public var taskID: Int64
        /// Its execution.
        public var executionID: Int64
        /// The function.
        public var functionName: String
        /// What was done.
        public var kind: Kind
        /// The worker that held it.
        public var previousOwner: String?

        /// An action with these values.
        public init(taskID: Int64, executionID: Int64, functionName: String, kind: Kind, previousOwner: String?) {
            self.taskID = taskID
            self.executionID = executionID
            self.functionName = functionName
            self.kind = kind
            self.previousOwner = previousOwner
        }
    }

    /// Workers marked lost by this call.
    public var lostWorkers: [String]
    /// The tasks acted on.
    public var actions: [Action]
    /// True when `batchLimit` tasks were handled: there may be more, call again.
    public var isFull: Bool
}

/// Redelivers the tasks of lost workers and fails tasks whose deadlines passed.
public struct TaskRescuer: Sendable {
    /// The rescuer's settings.
    public var configuration: RescueConfiguration
    /// Where actions are logged (info for redeliveries and failures, notice for lost workers).
    public var logger: Logger

    /// A rescuer with these settings.
    public init(configuration: RescueConfiguration = RescueConfiguration(), logger: Logger = Logger(label: "baton.rescuer")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs one rescue pass in a transaction of its own on `connection` (see the comment at the top of the file).
    @discardableResult
    public func rescue(on connection: PostgresConnection) async throws -> RescueReport {
        let configuration = self.configuration
        let report = try await connection.transaction { connection -> RescueReport in
            let lost = try await connection.query(
                """
                -- A worker that stopped heartbeating is presumed dead; its tasks are picked up below.
                UPDATE baton.workers SET status = 'lost', stopped_at = now()
                WHERE status IN ('running', 'stopping') AND last_heartbeat_at < now() - $1 * interval '1 second'
                RETURNING worker_id
                """, [configuration.workerStaleAfter], statementName: "baton_mark_lost_workers"
            ).map { try $0.decode(0, as: String.self) }
            let rows = try await connection.query(
                Self.rescueSQL, [configuration.batchLimit], statementName: "baton_rescue_tasks")
            var actions: [RescueReport.Action] = []
            for row in rows {
                let kind = try row.decode("action", as: String.self)
                actions.append(
                    RescueReport.Action(
                        taskID: try row.decode("id"), executionID: try row.decode("execution_id"),
                        functionName: try row.decode("function_name"),
                        kind: RescueReport.Action.Kind(rawValue: kind) ?? .redelivered,
                        previousOwner: try row.decode("previous_owner")))
            }
            if actions.contains(where: { $0.kind != .redelivered }) {
                try await connection.execute(
                    "SELECT pg_notify($1, $2)", [QueueChannel.inbox, "task_finished"], statementName: "baton_notify")
            }
            for function in Set(actions.filter { $0.kind == .redelivered }.map(\.functionName)).sorted() {
                try await connection.execute(
                    "SELECT pg_notify($1, $2)", [QueueChannel.tasks, function], statementName: "baton_notify")
            }
            return RescueReport(lostWorkers: lost, actions: actions, isFull: actions.count >= configuration.batchLimit)
        }
        for worker in report.lostWorkers {
            logger.notice("worker lost: no heartbeat", metadata: ["worker.id": .string(worker)])
        }
        for action in report.actions {
            logger.info(
                "rescued task",
                metadata: [
                    "task.id": .stringConvertible(action.taskID), "execution.id": .stringConvertible(action.executionID),
                    "task.function": .string(action.functionName), "rescue.action": .string(action.kind.rawValue),
                    "worker.id": .string(action.previousOwner ?? ""),
                ])
        }
        return report
    }

    static let rescueSQL = """
        WITH candidates AS (
            SELECT t.id, t.lease_owner, t.deliveries, t.max_deliveries, t.timeout_at, t.heartbeat_deadline_at,
                   (t.lease_expires_at <= now()
                    OR t.lease_owner IN (SELECT worker_id FROM baton.workers WHERE status IN ('lost', 'stopped'))
                   ) AS holder_gone
            FROM baton.tasks t
            WHERE t.status = 'running'
              AND (least(t.lease_expires_at, t.timeout_at, t.heartbeat_deadline_at) <= now()  -- tasks_running_deadline
                   OR t.lease_owner IN (SELECT worker_id FROM baton.workers WHERE status IN ('lost', 'stopped')))
            ORDER BY t.id
            LIMIT $1
            FOR UPDATE OF t SKIP LOCKED  -- another rescuer, or the holder reporting right now, has it: leave it
        ), decided AS (
            SELECT id, lease_owner,
                   CASE
                       WHEN timeout_at <= now() THEN 'timedOut'
                       WHEN holder_gone AND deliveries >= max_deliveries THEN 'workerLost'
                       WHEN holder_gone THEN 'redelivered'
                       WHEN heartbeat_deadline_at <= now() THEN 'heartbeatTimedOut'
                   END AS action,
                   deliveries
            FROM candidates
        ), changed AS (
            UPDATE baton.tasks t
            SET status = CASE d.action WHEN 'redelivered' THEN 'available' ELSE 'failed' END,
                error = CASE d.action
                    WHEN 'timedOut' THEN '\(QueueErrorName.timeout)'
                    WHEN 'heartbeatTimedOut' THEN '\(QueueErrorName.heartbeatTimeout)'
                    WHEN 'workerLost' THEN '\(QueueErrorName.taskFailed)'
                END,
                cause = CASE d.action WHEN 'workerLost' THEN format(
                    'The worker running the task was lost (%s stopped heartbeating); the task was delivered %s time(s), the maximum.',
                    coalesce(d.lease_owner, 'unknown worker'), d.deliveries) END,
                finished_at = CASE d.action WHEN 'redelivered' THEN NULL ELSE now() END,
                -- A redelivered task carries no lease; the next claim issues a new token and new deadlines.
                lease_owner = CASE d.action WHEN 'redelivered' THEN NULL ELSE t.lease_owner END,
                lease_token = CASE d.action WHEN 'redelivered' THEN NULL ELSE t.lease_token END,
                lease_expires_at = NULL,
                timeout_at = CASE d.action WHEN 'redelivered' THEN NULL ELSE t.timeout_at END,
                heartbeat_deadline_at = CASE d.action WHEN 'redelivered' THEN NULL ELSE t.heartbeat_deadline_at END
            FROM decided d
            WHERE t.id = d.id AND d.action IS NOT NULL
            RETURNING t.id, t.execution_id, t.fan_out_item_id, t.function_name, d.action, d.lease_owner AS previous_owner
        ), queued AS (
            -- A rescued failure is a task result like any other: the coordinator applies it through Retry/Catch.
            INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, task_id)
            SELECT execution_id, fan_out_item_id, 'task_finished', id FROM changed WHERE action <> 'redelivered'
        )
        SELECT id, execution_id, function_name, action, previous_owner FROM changed ORDER BY id
        """
}
