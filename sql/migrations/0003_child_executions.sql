-- 0003_child_executions: child executions (states:startExecution) and task timing.
--
-- Child executions were foreseen in 0001 (executions.parent_execution_id, parent_fan_out_item_id,
-- parent_state_name, parent_waits; inbox kind 'child_finished'). This adds what the coordinator needs to
-- match a finished child with the parent's Task state in flight (the attempt), an index for the child
-- lookups it makes, and a new inbox kind 'task_started' that a worker's claim writes so the history gets
-- TaskStarted when the task is claimed, not when its result arrives.

-- ---------------------------------------------------------------------------------------------------------
-- Child executions
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE baton.executions ADD COLUMN parent_task_attempt integer;
ALTER TABLE baton.executions ADD CONSTRAINT executions_parent_task_attempt CHECK (
    parent_task_attempt IS NULL OR (parent_task_attempt > 0 AND parent_execution_id IS NOT NULL));
COMMENT ON COLUMN baton.executions.parent_task_attempt IS
    'For a child execution, the attempt (1 first try, 2 first retry, ...) of the parent''s Task state that started it: a finished child wakes that attempt only, so a stale child never resumes a later retry.';

-- Stopping a Map item or Parallel branch stops the children it waits for; ON DELETE SET NULL of the
-- parent_fan_out_item_id foreign key also looks rows up by this column.
CREATE INDEX executions_by_parent_item ON baton.executions (parent_fan_out_item_id)
    WHERE parent_fan_out_item_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------------------
-- Inbox: 'task_started'
-- ---------------------------------------------------------------------------------------------------------
-- Written by the claim statement (first delivery only) so TaskStarted enters the history in claim order.
ALTER TABLE baton.inbox DROP CONSTRAINT inbox_kind_check;
ALTER TABLE baton.inbox ADD CONSTRAINT inbox_kind_check CHECK (kind IN (
    'execution_started', 'task_started', 'task_finished', 'timer_fired', 'child_finished',
    'stop_requested', 'redrive_requested'));
ALTER TABLE baton.inbox DROP CONSTRAINT inbox_reference_matches_kind;
ALTER TABLE baton.inbox ADD CONSTRAINT inbox_reference_matches_kind CHECK (
    (kind NOT IN ('task_started', 'task_finished') OR task_id IS NOT NULL)
    AND (kind <> 'timer_fired' OR timer_id IS NOT NULL)
    AND (kind <> 'child_finished' OR child_execution_id IS NOT NULL));
COMMENT ON COLUMN baton.inbox.kind IS
    'execution_started, task_started (a worker claimed the task), task_finished, timer_fired, child_finished, stop_requested, redrive_requested.';
COMMENT ON COLUMN baton.inbox.task_id IS 'For task_started and task_finished: the task (its result, for task_finished, is in baton.tasks).';

-- ---------------------------------------------------------------------------------------------------------
-- Timers: task timeouts are counted from scheduling
-- ---------------------------------------------------------------------------------------------------------
COMMENT ON COLUMN baton.timers.kind IS
    'wait (Wait state), retry (Retry back-off), task_timeout (a Task state''s TimeoutSeconds, counted from scheduling, whether or not a worker claimed it), heartbeat_timeout, execution_timeout.';
COMMENT ON COLUMN baton.tasks.timeout_at IS
    'When the task fails with States.Timeout if not finished: created_at + timeout_seconds (AWS counts TimeoutSeconds from scheduling), set at each claim; a coordinator timer (baton.timers kind task_timeout) enforces it for tasks nobody claimed.';
