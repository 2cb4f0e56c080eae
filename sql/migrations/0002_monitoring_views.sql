-- 0002_monitoring_views: read-only views that make SQL Baton's monitoring interface.
--
-- Why views and not a metrics endpoint: every fact an operator asks about (backlog, what is running, what
-- failed, which worker is gone, what is stuck) is already a row in baton.*; a view names the question once,
-- so `SELECT * FROM baton.queue_depth` works from psql, Grafana's PostgreSQL source or any SQL client, and
-- always agrees with what coordinators and workers see. docs/monitoring.md has a query per view.
--
-- Conventions: column names read as English; durations are `interval` (readable in psql) or, where they are
-- meant for sorting, alerting and graphing, `…_seconds` numeric rounded to milliseconds. Every view reads
-- now() once per statement, so all ages in one query are measured from the same instant. No view locks
-- anything or writes anything: they are safe to poll on a busy database (each is served by the indexes of
-- 0001: tasks_claim, tasks_running_deadline, timers_due, inbox_claim, executions_running, ...).
--
-- Thresholds are written into the views (not parameters) so they need no setup; they match the processes'
-- defaults: a worker is lost after 30 s without a heartbeat (Coordinator's workerStaleAfter), and a deadline
-- counts as stuck once the rescuer (every 1-2 s) has had 5 s to act on it.

-- ---------------------------------------------------------------------------------------------------------
-- Queue depth per function
-- ---------------------------------------------------------------------------------------------------------
-- Only open tasks (available, running) are read, which is the small end of the table. "Waiting" is measured
-- from greatest(created_at, run_after): a task scheduled for later is not late before it is due.
CREATE VIEW baton.queue_depth AS
SELECT t.function_name,
       count(*) FILTER (WHERE t.status = 'available' AND t.run_after <= now())  AS ready,
       count(*) FILTER (WHERE t.status = 'available' AND t.run_after > now())   AS scheduled,
       count(*) FILTER (WHERE t.status = 'running')                             AS running,
       round(extract(epoch FROM now() - min(greatest(t.created_at, t.run_after))
                 FILTER (WHERE t.status = 'available' AND t.run_after <= now())), 3) AS oldest_wait_seconds,
       (SELECT count(*) FROM baton.workers w
         WHERE w.kind = 'worker' AND w.status IN ('running', 'stopping')
           AND w.last_heartbeat_at > now() - interval '30 seconds'
           AND t.function_name = ANY (w.function_names))                        AS workers_alive
FROM baton.tasks t
WHERE t.status IN ('available', 'running')
GROUP BY t.function_name;
COMMENT ON VIEW baton.queue_depth IS
    'Per function with open tasks: how many are ready to claim, scheduled for later, running, how long the oldest ready one has waited, and how many live workers serve it. Ready tasks with no live worker never run.';
COMMENT ON COLUMN baton.queue_depth.function_name IS 'The function (workers claim by this name).';
COMMENT ON COLUMN baton.queue_depth.ready IS 'Available tasks that are due now: claimable by the next free worker.';
COMMENT ON COLUMN baton.queue_depth.scheduled IS 'Available tasks whose run_after is still in the future.';
COMMENT ON COLUMN baton.queue_depth.running IS 'Tasks claimed by a worker and not finished.';
COMMENT ON COLUMN baton.queue_depth.oldest_wait_seconds IS 'Seconds the oldest ready task has been waiting (since greatest(created_at, run_after)); NULL when none is ready.';
COMMENT ON COLUMN baton.queue_depth.workers_alive IS 'Workers serving this function that heartbeat within the last 30 s.';

-- ---------------------------------------------------------------------------------------------------------
-- Executions by status per state machine
-- ---------------------------------------------------------------------------------------------------------
-- Served by executions_by_state_machine (state_machine_id, status, started_at). Counts every retained row:
-- retention (deleting old executions) bounds it.
CREATE VIEW baton.executions_by_status AS
SELECT m.name          AS state_machine,
       e.status,
       count(*)        AS executions,
       min(e.started_at) AS first_started_at,
       max(e.started_at) AS last_started_at
FROM baton.executions e
JOIN baton.state_machines m ON m.id = e.state_machine_id
GROUP BY m.name, e.status;
COMMENT ON VIEW baton.executions_by_status IS
    'How many executions of each state machine are in each status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE), with the first and last start.';
COMMENT ON COLUMN baton.executions_by_status.state_machine IS 'The state machine name.';
COMMENT ON COLUMN baton.executions_by_status.status IS 'The execution status.';
COMMENT ON COLUMN baton.executions_by_status.executions IS 'How many executions have this status.';
COMMENT ON COLUMN baton.executions_by_status.first_started_at IS 'Start of the oldest of them.';
COMMENT ON COLUMN baton.executions_by_status.last_started_at IS 'Start of the newest of them.';

-- ---------------------------------------------------------------------------------------------------------
-- Running executions and the states they are in
-- ---------------------------------------------------------------------------------------------------------
-- Two answers to "where is it": the interpreter's own position at the top level (executions.state is the
-- engine's serialized ASLCore.Run, JSON with "stateName" and "phase" keys, e.g. {"awaitingTask":{"id":1}}),
-- and every state that has open work anywhere in the execution, including inside Map items and Parallel
-- branches, which the top-level run does not show (it only says it awaits children). Open work: tasks
-- waiting or running, Wait and retry timers pending, Map/Parallel fan-outs running.
CREATE VIEW baton.running_executions AS
SELECT e.id            AS execution_id,
       e.name          AS execution_name,
       m.name          AS state_machine,
       nullif(run.doc ->> 'stateName', '') AS current_state,
       (SELECT k FROM jsonb_object_keys(CASE WHEN jsonb_typeof(run.doc -> 'phase') = 'object'
                                             THEN run.doc -> 'phase' END) AS k LIMIT 1) AS waiting_for,
       ARRAY(
           SELECT DISTINCT open.state_name FROM (
               SELECT t.state_name FROM baton.tasks t
                WHERE t.execution_id = e.id AND t.status IN ('available', 'running')
               UNION ALL
               SELECT r.state_name FROM baton.timers r
                WHERE r.execution_id = e.id AND r.status = 'pending' AND r.kind IN ('wait', 'retry')
               UNION ALL
               SELECT f.state_name FROM baton.fan_outs f
                WHERE f.execution_id = e.id AND f.status = 'running'
           ) AS open
           ORDER BY open.state_name)                               AS open_states,
       (SELECT count(*) FROM baton.tasks t
         WHERE t.execution_id = e.id AND t.status IN ('available', 'running')) AS open_tasks,
       e.started_at,
       now() - e.started_at                                        AS running_for,
       e.arn           AS execution_arn
FROM baton.executions e
JOIN baton.state_machines m ON m.id = e.state_machine_id
CROSS JOIN LATERAL (SELECT e.state::jsonb AS doc) AS run
WHERE e.status = 'RUNNING';
COMMENT ON VIEW baton.running_executions IS
    'Every RUNNING execution: the state its top level is in (from the interpreter state) and what it waits for, every state with open work anywhere in it (tasks, Wait/retry timers, Map/Parallel), and how long it has run.';
COMMENT ON COLUMN baton.running_executions.execution_id IS 'Internal execution id (baton.executions.id).';
COMMENT ON COLUMN baton.running_executions.execution_name IS 'The execution name.';
COMMENT ON COLUMN baton.running_executions.state_machine IS 'The state machine name.';
COMMENT ON COLUMN baton.running_executions.current_state IS 'The state the top-level run is in, from executions.state; NULL before a coordinator first applied the execution.';
COMMENT ON COLUMN baton.running_executions.waiting_for IS 'What the top-level run waits for: awaitingTask, waiting (Wait state), retryBackoff, awaitingChildren (Map/Parallel), created or finished.';
COMMENT ON COLUMN baton.running_executions.open_states IS 'Names of the states with open work anywhere in the execution (Map items and Parallel branches included), sorted.';
COMMENT ON COLUMN baton.running_executions.open_tasks IS 'Tasks of this execution waiting for or held by a worker.';
COMMENT ON COLUMN baton.running_executions.started_at IS 'When the execution started.';
COMMENT ON COLUMN baton.running_executions.running_for IS 'How long it has been running.';
COMMENT ON COLUMN baton.running_executions.execution_arn IS 'The execution ARN, for describe-execution and get-execution-history.';

-- ---------------------------------------------------------------------------------------------------------
-- Recent failures
-- ---------------------------------------------------------------------------------------------------------
-- The view is ordered newest first for psql convenience; add ORDER BY / LIMIT in the query to rely on it.
CREATE VIEW baton.recent_failures AS
SELECT e.id          AS execution_id,
       e.name        AS execution_name,
       m.name        AS state_machine,
       e.status,
       e.error,
       e.cause,
       e.started_at,
       e.stopped_at,
       e.stopped_at - e.started_at AS ran_for,
       e.redrive_count,
       e.arn         AS execution_arn
FROM baton.executions e
JOIN baton.state_machines m ON m.id = e.state_machine_id
WHERE e.status IN ('FAILED', 'TIMED_OUT', 'ABORTED')
ORDER BY e.stopped_at DESC, e.id DESC;
COMMENT ON VIEW baton.recent_failures IS
    'Executions that ended FAILED, TIMED_OUT or ABORTED, newest first, with the ASL error and cause.';
COMMENT ON COLUMN baton.recent_failures.execution_id IS 'Internal execution id.';
COMMENT ON COLUMN baton.recent_failures.execution_name IS 'The execution name.';
COMMENT ON COLUMN baton.recent_failures.state_machine IS 'The state machine name.';
COMMENT ON COLUMN baton.recent_failures.status IS 'FAILED, TIMED_OUT or ABORTED.';
COMMENT ON COLUMN baton.recent_failures.error IS 'The ASL error name (States.TaskFailed, States.Timeout, a custom name, ...).';
COMMENT ON COLUMN baton.recent_failures.cause IS 'The human-readable cause.';
COMMENT ON COLUMN baton.recent_failures.started_at IS 'When the execution started.';
COMMENT ON COLUMN baton.recent_failures.stopped_at IS 'When it ended.';
COMMENT ON COLUMN baton.recent_failures.ran_for IS 'How long it ran.';
COMMENT ON COLUMN baton.recent_failures.redrive_count IS 'How many times it was already redriven.';
COMMENT ON COLUMN baton.recent_failures.execution_arn IS 'The execution ARN (get-execution-history shows where it failed; redrive-execution retries it).';

-- ---------------------------------------------------------------------------------------------------------
-- The worker fleet
-- ---------------------------------------------------------------------------------------------------------
-- The registry's own status says what a process declared (running, stopping, stopped) or what a rescuer
-- decided (lost); a process killed with -9 declares nothing, so liveness is derived from the heartbeat age
-- here, with the coordinators' 30 s rule, before any rescuer has run.
CREATE VIEW baton.worker_fleet AS
SELECT w.worker_id,
       w.kind,
       CASE
           WHEN w.status IN ('stopped', 'lost') THEN w.status
           WHEN w.last_heartbeat_at <= now() - interval '30 seconds' THEN 'lost'
           WHEN w.status = 'stopping' THEN 'stopping'
           ELSE 'alive'
       END                                                    AS status,
       w.host,
       w.pid,
       w.function_names                                       AS functions,
       w.tasks_in_flight,
       w.concurrency,
       round(extract(epoch FROM now() - w.last_heartbeat_at), 3) AS seconds_since_heartbeat,
       w.last_heartbeat_at,
       w.started_at,
       w.stopped_at,
       w.version
FROM baton.workers w;
COMMENT ON VIEW baton.worker_fleet IS
    'Every registered worker and coordinator process with a derived status: alive, stopping, lost (heartbeat older than 30 s, or declared lost by a rescuer) or stopped.';
COMMENT ON COLUMN baton.worker_fleet.worker_id IS 'The process''s registry id (tasks.lease_owner).';
COMMENT ON COLUMN baton.worker_fleet.kind IS 'worker or coordinator.';
COMMENT ON COLUMN baton.worker_fleet.status IS 'alive, stopping, lost (no heartbeat for 30 s, or declared lost) or stopped.';
COMMENT ON COLUMN baton.worker_fleet.host IS 'Host name the process runs on.';
COMMENT ON COLUMN baton.worker_fleet.pid IS 'Its process id on that host.';
COMMENT ON COLUMN baton.worker_fleet.functions IS 'Functions it serves (empty for coordinators).';
COMMENT ON COLUMN baton.worker_fleet.tasks_in_flight IS 'Tasks it reported running at its last heartbeat.';
COMMENT ON COLUMN baton.worker_fleet.concurrency IS 'How many tasks it runs at once at most.';
COMMENT ON COLUMN baton.worker_fleet.seconds_since_heartbeat IS 'Age of its last heartbeat, in seconds.';
COMMENT ON COLUMN baton.worker_fleet.last_heartbeat_at IS 'When it last heartbeat.';
COMMENT ON COLUMN baton.worker_fleet.started_at IS 'When it registered.';
COMMENT ON COLUMN baton.worker_fleet.stopped_at IS 'When it stopped, if it did.';
COMMENT ON COLUMN baton.worker_fleet.version IS 'The Baton version it runs.';

-- ---------------------------------------------------------------------------------------------------------
-- Task latency percentiles
-- ---------------------------------------------------------------------------------------------------------
-- Over every retained finished task that a worker ran (succeeded or failed with a start time; tasks
-- cancelled or failed before any claim have no run time). Queue wait starts at greatest(created_at,
-- run_after), as in queue_depth. started_at is the claim of the last delivery, so a redelivered task's wait
-- includes the time its lost worker held it: that is the wait the execution saw. Grouped by state machine
-- too, because a state name means something only within its state machine. This reads the whole finished
-- part of baton.tasks: bound it with retention, or copy the query with a `finished_at > now() - interval`.
CREATE VIEW baton.task_latency AS
SELECT m.name             AS state_machine,
       t.state_name,
       t.function_name,
       count(*)           AS tasks,
       count(*) FILTER (WHERE t.status = 'failed') AS failed,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY w.wait)::numeric, 3) AS wait_p50_seconds,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY w.wait)::numeric, 3) AS wait_p95_seconds,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY w.wait)::numeric, 3) AS wait_p99_seconds,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY w.run)::numeric, 3)  AS run_p50_seconds,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY w.run)::numeric, 3)  AS run_p95_seconds,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY w.run)::numeric, 3)  AS run_p99_seconds,
       max(t.finished_at) AS last_finished_at
FROM baton.tasks t
JOIN baton.executions e ON e.id = t.execution_id
JOIN baton.state_machines m ON m.id = e.state_machine_id
CROSS JOIN LATERAL (
    SELECT extract(epoch FROM t.started_at - greatest(t.created_at, t.run_after))::float8 AS wait,
           extract(epoch FROM t.finished_at - t.started_at)::float8                     AS run
) AS w
WHERE t.status IN ('succeeded', 'failed') AND t.started_at IS NOT NULL
GROUP BY m.name, t.state_name, t.function_name;
COMMENT ON VIEW baton.task_latency IS
    'Per state machine, Task state and function, over finished tasks a worker ran: how many, how many failed, and p50/p95/p99 of queue wait (ready to claimed) and run time (claimed to result), in seconds.';
COMMENT ON COLUMN baton.task_latency.state_machine IS 'The state machine name.';
COMMENT ON COLUMN baton.task_latency.state_name IS 'The Task state.';
COMMENT ON COLUMN baton.task_latency.function_name IS 'The function that ran it.';
COMMENT ON COLUMN baton.task_latency.tasks IS 'Finished tasks counted (succeeded or failed after a claim).';
COMMENT ON COLUMN baton.task_latency.failed IS 'How many of them failed.';
COMMENT ON COLUMN baton.task_latency.wait_p50_seconds IS 'Median queue wait: started_at - greatest(created_at, run_after).';
COMMENT ON COLUMN baton.task_latency.wait_p95_seconds IS '95th percentile of the queue wait.';
COMMENT ON COLUMN baton.task_latency.wait_p99_seconds IS '99th percentile of the queue wait.';
COMMENT ON COLUMN baton.task_latency.run_p50_seconds IS 'Median run time: finished_at - started_at.';
COMMENT ON COLUMN baton.task_latency.run_p95_seconds IS '95th percentile of the run time.';
COMMENT ON COLUMN baton.task_latency.run_p99_seconds IS '99th percentile of the run time.';
COMMENT ON COLUMN baton.task_latency.last_finished_at IS 'When the latest of them finished.';

-- ---------------------------------------------------------------------------------------------------------
-- Stuck work
-- ---------------------------------------------------------------------------------------------------------
-- Things a healthy system resolves within seconds. A row here for a moment is normal (the rescuer runs every
-- 1-2 s, coordinators drain the inbox continuously); a row that stays means no process is doing the job:
-- no coordinator running (so no rescuer, no timers, no inbox), or one failing on this execution (its log
-- says why). The task deadline expression is the rescuer's, so tasks_running_deadline serves it.
--   * running tasks past their TimeoutSeconds, lease or HeartbeatSeconds deadline by more than 5 s, or held
--     by a worker the registry says is lost or stopped;
--   * pending timers due more than 5 s ago;
--   * inbox rows available for more than 30 s (a long backlog under load also shows here: compare with
--     the inbox size).
CREATE VIEW baton.stuck_work AS
SELECT CASE
           WHEN t.timeout_at <= now() - interval '5 seconds' THEN 'task past its timeout'
           WHEN t.lease_expires_at <= now() - interval '5 seconds' THEN 'task lease expired'
           WHEN t.heartbeat_deadline_at <= now() - interval '5 seconds' THEN 'task heartbeat overdue'
           ELSE 'task held by a lost worker'
       END                       AS problem,
       t.execution_id,
       t.state_name,
       t.function_name,
       t.id                      AS task_id,
       NULL::bigint              AS timer_id,
       NULL::bigint              AS inbox_id,
       t.lease_owner             AS worker_id,
       least(t.lease_expires_at, t.timeout_at, t.heartbeat_deadline_at) AS due_at,
       round(extract(epoch FROM now() - least(t.lease_expires_at, t.timeout_at, t.heartbeat_deadline_at)), 3)
                                 AS overdue_seconds
FROM baton.tasks t
WHERE t.status = 'running'
  AND (least(t.lease_expires_at, t.timeout_at, t.heartbeat_deadline_at) <= now() - interval '5 seconds'
       OR t.lease_owner IN (SELECT worker_id FROM baton.workers WHERE status IN ('lost', 'stopped')))
UNION ALL
SELECT 'timer overdue (' || r.kind || ')',
       r.execution_id,
       r.state_name,
       NULL,
       r.task_id,
       r.id,
       NULL,
       NULL,
       r.due_at,
       round(extract(epoch FROM now() - r.due_at), 3)
FROM baton.timers r
WHERE r.status = 'pending' AND r.due_at <= now() - interval '5 seconds'
UNION ALL
SELECT 'inbox row not picked up (' || i.kind || ')',
       i.execution_id,
       NULL,
       NULL,
       i.task_id,
       i.timer_id,
       i.id,
       NULL,
       i.available_at,
       round(extract(epoch FROM now() - i.available_at), 3)
FROM baton.inbox i
WHERE i.available_at <= now() - interval '30 seconds';
COMMENT ON VIEW baton.stuck_work IS
    'Work that should have moved and did not: running tasks more than 5 s past a deadline (timeout, lease, heartbeat) or held by a lost worker, timers more than 5 s overdue, inbox rows no coordinator applied for 30 s.';
COMMENT ON COLUMN baton.stuck_work.problem IS 'What is wrong, in words.';
COMMENT ON COLUMN baton.stuck_work.execution_id IS 'The execution it belongs to.';
COMMENT ON COLUMN baton.stuck_work.state_name IS 'The state (tasks and timers).';
COMMENT ON COLUMN baton.stuck_work.function_name IS 'The function (tasks).';
COMMENT ON COLUMN baton.stuck_work.task_id IS 'The task concerned, if any.';
COMMENT ON COLUMN baton.stuck_work.timer_id IS 'The timer concerned, if any.';
COMMENT ON COLUMN baton.stuck_work.inbox_id IS 'The inbox row, if the problem is one.';
COMMENT ON COLUMN baton.stuck_work.worker_id IS 'The worker holding the task, if any.';
COMMENT ON COLUMN baton.stuck_work.due_at IS 'When it should have moved: the earliest task deadline, the timer due time, or when the inbox row became available.';
COMMENT ON COLUMN baton.stuck_work.overdue_seconds IS 'Seconds since due_at.';
