-- 0004_callbacks_activities_tags: task tokens of `.waitForTaskToken` tasks, activities, tags, and redrive.
--
-- Callbacks: a Task state whose resource ends in `.waitForTaskToken` runs its function as usual, but the
-- state ends only when someone calls SendTaskSuccess/SendTaskFailure with the token (`$$.Task.Token`). The
-- coordinator inserts one task_callbacks row per such task in the transaction that enqueues the task; the
-- API server completes the row (fenced by `status = 'waiting'`, so a token is single-use) and writes a
-- `callback_finished` inbox row in the same statement, exactly as a worker reports a result. TimeoutSeconds
-- and HeartbeatSeconds of the wait are coordinator timers (kinds task_timeout / heartbeat_timeout, payload
-- {"callbackId": N}, no task_id); a heartbeat only moves heartbeat_deadline_at, and the heartbeat timer,
-- when it fires early, sets itself again at the new deadline.
--
-- Redrive: RedriveExecution moves a FAILED, ABORTED or TIMED_OUT execution to PENDING_REDRIVE with a
-- `redrive_requested` inbox row; the coordinator restarts its failed runs, and only the failed or aborted
-- items of a Map or Parallel, which needs the item transitions failed|aborted -> running.

-- ---------------------------------------------------------------------------------------------------------
-- Callbacks
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.task_callbacks (
    id                    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token                 text        NOT NULL UNIQUE,
    task_id               bigint      NOT NULL REFERENCES baton.tasks (id) ON DELETE CASCADE,
    execution_id          bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    fan_out_item_id       bigint      REFERENCES baton.fan_out_items (id) ON DELETE CASCADE,
    status                text        NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'succeeded', 'failed', 'timed_out', 'closed')),
    timeout_seconds       integer     CHECK (timeout_seconds > 0),
    heartbeat_seconds     integer     CHECK (heartbeat_seconds > 0),
    timeout_at            timestamptz,
    heartbeat_deadline_at timestamptz,
    output                text,
    error                 text,
    cause                 text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    finished_at           timestamptz,
    CONSTRAINT task_callbacks_finished_at_matches_status CHECK ((status = 'waiting') = (finished_at IS NULL)),
    CONSTRAINT task_callbacks_output_only_on_success CHECK (output IS NULL OR status = 'succeeded')
);
COMMENT ON TABLE baton.task_callbacks IS
    'One row per attempt of a .waitForTaskToken Task state: the token the state waits for. SendTaskSuccess/SendTaskFailure complete a waiting row (once) and wake a coordinator through baton.inbox (kind callback_finished).';
COMMENT ON COLUMN baton.task_callbacks.id IS 'Internal id (timer payloads and inbox details name it).';
COMMENT ON COLUMN baton.task_callbacks.token IS 'The task token ($$.Task.Token): random, unguessable, unique.';
COMMENT ON COLUMN baton.task_callbacks.task_id IS 'The task that invoked the function with the token.';
COMMENT ON COLUMN baton.task_callbacks.execution_id IS 'The execution.';
COMMENT ON COLUMN baton.task_callbacks.fan_out_item_id IS 'The Map item or Parallel branch, NULL at the top level.';
COMMENT ON COLUMN baton.task_callbacks.status IS 'waiting; succeeded or failed (SendTaskSuccess/SendTaskFailure); timed_out (TimeoutSeconds or HeartbeatSeconds passed); closed (the function failed, or the state was left otherwise).';
COMMENT ON COLUMN baton.task_callbacks.timeout_seconds IS 'TimeoutSeconds of the state, counted from scheduling.';
COMMENT ON COLUMN baton.task_callbacks.heartbeat_seconds IS 'HeartbeatSeconds of the state; SendTaskHeartbeat moves the deadline by this much.';
COMMENT ON COLUMN baton.task_callbacks.timeout_at IS 'After this the token is refused (TaskTimedOut) and the state fails with States.Timeout.';
COMMENT ON COLUMN baton.task_callbacks.heartbeat_deadline_at IS 'After this (unless a heartbeat moved it) the state fails with States.HeartbeatTimeout.';
COMMENT ON COLUMN baton.task_callbacks.output IS 'The SendTaskSuccess output, exact JSON text.';
COMMENT ON COLUMN baton.task_callbacks.error IS 'The SendTaskFailure error, or States.Timeout / States.HeartbeatTimeout.';
COMMENT ON COLUMN baton.task_callbacks.cause IS 'The SendTaskFailure cause.';
COMMENT ON COLUMN baton.task_callbacks.created_at IS 'When the task was scheduled.';
COMMENT ON COLUMN baton.task_callbacks.finished_at IS 'When the row stopped waiting.';
CREATE INDEX task_callbacks_by_task ON baton.task_callbacks (task_id);
CREATE INDEX task_callbacks_by_execution ON baton.task_callbacks (execution_id);

-- Wake-ups for coordinators now include completed callbacks.
ALTER TABLE baton.inbox DROP CONSTRAINT inbox_kind_check;
ALTER TABLE baton.inbox ADD CONSTRAINT inbox_kind_check CHECK (kind IN (
    'execution_started', 'task_started', 'task_finished', 'timer_fired', 'child_finished',
    'stop_requested', 'redrive_requested', 'callback_finished'));
COMMENT ON COLUMN baton.inbox.kind IS
    'execution_started, task_started (a worker claimed the task), task_finished, timer_fired, child_finished, stop_requested, redrive_requested, callback_finished (SendTaskSuccess/SendTaskFailure: task_id names the task, details.callbackId the baton.task_callbacks row).';

-- ---------------------------------------------------------------------------------------------------------
-- Redrive: failed or aborted items run again
-- ---------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION baton.check_fan_out_item_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (
        (OLD.status = 'pending' AND NEW.status IN ('running', 'aborted'))
        OR (OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed', 'aborted'))
        OR (OLD.status IN ('failed', 'aborted') AND NEW.status = 'running')
    ) THEN
        PERFORM baton.reject_status_change('fan-out item', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_fan_out_item_transition() IS
    'Allowed item status changes: pending -> running|aborted; running -> succeeded|failed|aborted; failed|aborted -> running (redrive).';

-- ---------------------------------------------------------------------------------------------------------
-- Activities and tags
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.activities (
    id         bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       baton.aws_name NOT NULL UNIQUE,
    arn        text           NOT NULL UNIQUE,
    created_at timestamptz    NOT NULL DEFAULT now()
);
COMMENT ON TABLE baton.activities IS
    'Activities (CreateActivity). Their tasks are baton.tasks rows whose function_name is the activity name, claimed by GetActivityTask pollers and by Baton workers of that name alike.';
COMMENT ON COLUMN baton.activities.id IS 'Internal id.';
COMMENT ON COLUMN baton.activities.name IS 'The activity name (AWS naming rules).';
COMMENT ON COLUMN baton.activities.arn IS 'arn:aws:states:REGION:ACCOUNT:activity:NAME.';
COMMENT ON COLUMN baton.activities.created_at IS 'When it was created.';

CREATE TABLE baton.resource_tags (
    resource_arn text        NOT NULL,
    key          text        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 128),
    value        text        NOT NULL CHECK (char_length(value) <= 256),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_arn, key)
);
COMMENT ON TABLE baton.resource_tags IS
    'Tags of state machines and activities (TagResource, CreateStateMachine/CreateActivity tags), by ARN. Removed with their resource by triggers.';
COMMENT ON COLUMN baton.resource_tags.resource_arn IS 'The state machine or activity ARN.';
COMMENT ON COLUMN baton.resource_tags.key IS 'Tag key, 1-128 characters, unique per resource.';
COMMENT ON COLUMN baton.resource_tags.value IS 'Tag value, 0-256 characters.';
COMMENT ON COLUMN baton.resource_tags.created_at IS 'When the tag was last set.';

CREATE FUNCTION baton.delete_resource_tags() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM baton.resource_tags WHERE resource_arn = OLD.arn;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION baton.delete_resource_tags() IS 'Deletes the tags of a deleted state machine or activity.';
CREATE TRIGGER state_machines_delete_tags AFTER DELETE ON baton.state_machines
    FOR EACH ROW EXECUTE FUNCTION baton.delete_resource_tags();
CREATE TRIGGER activities_delete_tags AFTER DELETE ON baton.activities
    FOR EACH ROW EXECUTE FUNCTION baton.delete_resource_tags();
