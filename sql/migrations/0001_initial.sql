-- 0001_initial: Baton's first schema.
--
-- Applied by `baton migrate` inside one transaction, under an advisory lock, and recorded in
-- baton.schema_migrations in that same transaction. Never edit this file once released: change the schema
-- with a new numbered migration. No transaction control here (BEGIN/COMMIT) and nothing that cannot run in
-- a transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE … ADD VALUE).
--
-- Conventions (docs/schema.md has the reasoning):
--   * Internal ids are bigint identities; ARNs and names are for people and the API.
--   * JSON payloads that Baton hands back to users (execution and task input/output, interpreter state)
--     are stored as text holding exact JSON: jsonb would reorder object keys and drop duplicate keys, so the
--     distributed path would print different JSON than the local runner. Cast with ::jsonb to query them.
--     Structured metadata Baton writes for itself and operators (history event details, parsed definitions)
--     is jsonb.
--   * Statuses are text with CHECK constraints (easy to extend in a later migration, readable in psql);
--     consistency rules between columns are CHECKs too; allowed status changes are enforced by triggers.
--   * Everything belonging to an execution references it ON DELETE CASCADE, so retention is one DELETE.
--   * Lock order for the coordinator: the execution row (FOR NO KEY UPDATE, which does not block the
--     foreign-key checks of workers inserting inbox rows), then fan-outs, items, tasks, timers.

CREATE SCHEMA baton;
COMMENT ON SCHEMA baton IS
    'Baton: Amazon States Language state machines run by coordinators and workers over PostgreSQL. Created and changed only by `baton migrate`.';

-- ---------------------------------------------------------------------------------------------------------
-- Schema versions
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.schema_migrations (
    version    integer     PRIMARY KEY CHECK (version > 0),
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE baton.schema_migrations IS
    'One row per applied migration (sql/migrations/NNNN_name.sql). Processes compare max(version) with the version they were built for and refuse to run on a mismatch.';
COMMENT ON COLUMN baton.schema_migrations.version IS 'The migration number, NNNN in the file name.';
COMMENT ON COLUMN baton.schema_migrations.name IS 'The migration name, the rest of the file name.';
COMMENT ON COLUMN baton.schema_migrations.checksum IS 'Hex SHA-256 of the migration text as applied; `baton migrate` refuses to continue when a released migration was edited afterwards.';
COMMENT ON COLUMN baton.schema_migrations.applied_at IS 'When the migration committed.';

-- ---------------------------------------------------------------------------------------------------------
-- Transition guards. A status may only move along the edges listed here; terminal statuses are final.
-- Written as triggers (not CHECKs) because a CHECK sees only the new row. They fire only when the status
-- actually changes (WHEN clause), so the hot paths pay for them once per transition.
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION baton.reject_status_change(entity text, old_status text, new_status text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'baton: % status cannot change from % to %', entity, old_status, new_status
        USING ERRCODE = 'check_violation', HINT = 'See the allowed transitions in sql/migrations.';
END
$$;
COMMENT ON FUNCTION baton.reject_status_change(text, text, text) IS
    'Raises check_violation (SQLSTATE 23514) for a status change that is not allowed.';

CREATE FUNCTION baton.immutable_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'baton: rows of % are immutable (append-only)', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END
$$;
COMMENT ON FUNCTION baton.immutable_row() IS
    'Trigger function that rejects UPDATE on append-only tables (state machine versions, history events).';

-- AWS's naming rule for state machines and executions: 1-80 characters, no white space, brackets,
-- wildcards, control characters or any of " # % \ ^ | ~ ` $ & , ; : /  (names end up inside ARNs).
CREATE DOMAIN baton.aws_name AS text
    CHECK (char_length(VALUE) BETWEEN 1 AND 80 AND VALUE !~ '[[:space:][:cntrl:]<>{}\[\]?*"#%\\^|~`$&,;:/]');
COMMENT ON DOMAIN baton.aws_name IS
    'A state machine or execution name: 1-80 characters without white space, control characters, brackets, wildcards or " # % \ ^ | ~ ` $ & , ; : /.';

-- ---------------------------------------------------------------------------------------------------------
-- State machines and their immutable versions
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.state_machines (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               baton.aws_name NOT NULL UNIQUE,
    arn                text        NOT NULL UNIQUE,
    type               text        NOT NULL DEFAULT 'STANDARD' CHECK (type IN ('STANDARD', 'EXPRESS')),
    status             text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DELETING')),
    current_version_id bigint,     -- set in the transaction that inserts the version; FK added below
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE baton.state_machines IS
    'Registered state machines (create-state-machine). The definition lives in baton.state_machine_versions; update-state-machine adds a version and moves current_version_id.';
COMMENT ON COLUMN baton.state_machines.id IS 'Internal id.';
COMMENT ON COLUMN baton.state_machines.name IS 'The state machine name (AWS naming rules), unique per deployment.';
COMMENT ON COLUMN baton.state_machines.arn IS 'arn:aws:states:REGION:ACCOUNT:stateMachine:NAME, as printed by create-state-machine.';
COMMENT ON COLUMN baton.state_machines.type IS 'STANDARD or EXPRESS. Fixed at creation, as in AWS.';
COMMENT ON COLUMN baton.state_machines.status IS 'ACTIVE, or DELETING after delete-state-machine (running executions finish; no new ones start).';
COMMENT ON COLUMN baton.state_machines.current_version_id IS 'The version new executions use (the latest update).';
COMMENT ON COLUMN baton.state_machines.created_at IS 'When the state machine was created.';
COMMENT ON COLUMN baton.state_machines.updated_at IS 'When the state machine was last updated.';

CREATE TABLE baton.state_machine_versions (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state_machine_id bigint      NOT NULL REFERENCES baton.state_machines (id) ON DELETE CASCADE,
    version_number   integer     NOT NULL CHECK (version_number > 0),
    revision_id      uuid        NOT NULL UNIQUE,
    definition       text        NOT NULL,
    definition_json  jsonb       NOT NULL,
    role_arn         text,
    description      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (state_machine_id, version_number)
);
COMMENT ON TABLE baton.state_machine_versions IS
    'Immutable definitions: every create or update adds a row, and an execution points at the version it started with, so changing a state machine never changes a running execution. UPDATE is rejected by a trigger.';
COMMENT ON COLUMN baton.state_machine_versions.id IS 'Internal id; baton.executions.version_id refers to it.';
COMMENT ON COLUMN baton.state_machine_versions.state_machine_id IS 'The state machine this is a version of.';
COMMENT ON COLUMN baton.state_machine_versions.version_number IS '1, 2, 3, ... per state machine (the :N suffix of a version ARN).';
COMMENT ON COLUMN baton.state_machine_versions.revision_id IS 'AWS revisionId of this definition.';
COMMENT ON COLUMN baton.state_machine_versions.definition IS 'The definition exactly as submitted, after substitutions (JSON, or YAML converted to JSON).';
COMMENT ON COLUMN baton.state_machine_versions.definition_json IS 'The same definition parsed, for queries such as definition_json->''StartAt''. Key order is not kept here; the interpreter reads definition.';
COMMENT ON COLUMN baton.state_machine_versions.role_arn IS 'Optional IAM role ARN, kept for AWS compatibility; Baton does not assume it.';
COMMENT ON COLUMN baton.state_machine_versions.description IS 'Optional description of this version.';
COMMENT ON COLUMN baton.state_machine_versions.created_at IS 'When this version was created.';

CREATE TRIGGER state_machine_versions_immutable BEFORE UPDATE ON baton.state_machine_versions
    FOR EACH ROW EXECUTE FUNCTION baton.immutable_row();

ALTER TABLE baton.state_machines
    ADD CONSTRAINT state_machines_current_version_fk FOREIGN KEY (current_version_id)
        REFERENCES baton.state_machine_versions (id);

-- ---------------------------------------------------------------------------------------------------------
-- Executions
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.executions (
    id                      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    arn                     text        NOT NULL UNIQUE,
    name                    baton.aws_name NOT NULL,
    state_machine_id        bigint      NOT NULL REFERENCES baton.state_machines (id),
    version_id              bigint      NOT NULL REFERENCES baton.state_machine_versions (id),
    status                  text        NOT NULL DEFAULT 'RUNNING'
        CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE')),
    input                   text        NOT NULL,
    output                  text,
    error                   text,
    cause                   text,
    started_at              timestamptz NOT NULL DEFAULT now(),
    stopped_at              timestamptz,
    state                   text,
    last_event_id           integer     NOT NULL DEFAULT 0 CHECK (last_event_id >= 0),
    redrive_count           integer     NOT NULL DEFAULT 0 CHECK (redrive_count >= 0),
    redriven_at             timestamptz,
    parent_execution_id     bigint      REFERENCES baton.executions (id) ON DELETE SET NULL,
    parent_fan_out_item_id  bigint,     -- FK added after baton.fan_out_items exists
    parent_state_name       text,
    parent_waits            boolean     NOT NULL DEFAULT false,
    UNIQUE (state_machine_id, name),
    -- A finished execution has a stop time; a running one has none.
    -- (PENDING_REDRIVE keeps the stop time of the run being redriven.)
    CONSTRAINT executions_stopped_at_matches_status CHECK (
        status = 'PENDING_REDRIVE' OR (status = 'RUNNING') = (stopped_at IS NULL)),
    -- Only a successful execution has an output; a failed one says why.
    CONSTRAINT executions_output_only_on_success CHECK (output IS NULL OR status = 'SUCCEEDED'),
    CONSTRAINT executions_error_on_failure CHECK (status <> 'FAILED' OR error IS NOT NULL),
    CONSTRAINT executions_parent_link CHECK (
        parent_execution_id IS NOT NULL OR (parent_fan_out_item_id IS NULL AND parent_state_name IS NULL AND NOT parent_waits))
) WITH (fillfactor = 90);  -- updated on every step: leave room for HOT updates of the same page
COMMENT ON TABLE baton.executions IS
    'One row per execution of a state machine version. The coordinator locks this row (FOR NO KEY UPDATE) while it applies work to the execution, which serialises all changes to one execution.';
COMMENT ON COLUMN baton.executions.id IS 'Internal id.';
COMMENT ON COLUMN baton.executions.arn IS 'arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME, as printed by start-execution.';
COMMENT ON COLUMN baton.executions.name IS 'Execution name, unique per state machine; starting again with the same name and input returns this execution.';
COMMENT ON COLUMN baton.executions.state_machine_id IS 'The state machine.';
COMMENT ON COLUMN baton.executions.version_id IS 'The exact definition version this execution runs.';
COMMENT ON COLUMN baton.executions.status IS 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED (stopped), or PENDING_REDRIVE (a redrive was accepted and not yet applied).';
COMMENT ON COLUMN baton.executions.input IS 'Execution input, exact JSON text (cast ::jsonb to query).';
COMMENT ON COLUMN baton.executions.output IS 'Execution output, exact JSON text; only when SUCCEEDED.';
COMMENT ON COLUMN baton.executions.error IS 'ASL error name when the execution failed (States.TaskFailed, a custom name, ...).';
COMMENT ON COLUMN baton.executions.cause IS 'Human-readable cause of the failure.';
COMMENT ON COLUMN baton.executions.started_at IS 'When the execution started.';
COMMENT ON COLUMN baton.executions.stopped_at IS 'When the execution finished (succeeded, failed, timed out or was stopped).';
COMMENT ON COLUMN baton.executions.state IS 'The interpreter''s serialized state for the top level of the execution (JSON text, format owned by the engine). Map items and Parallel branches keep their own state in baton.fan_out_items.';
COMMENT ON COLUMN baton.executions.last_event_id IS 'The id of the last history event written; the next event gets last_event_id + 1 (allocated under the execution row lock).';
COMMENT ON COLUMN baton.executions.redrive_count IS 'How many times this execution was redriven.';
COMMENT ON COLUMN baton.executions.redriven_at IS 'When the last redrive started.';
COMMENT ON COLUMN baton.executions.parent_execution_id IS 'For a child execution (states:startExecution), the parent execution that started it.';
COMMENT ON COLUMN baton.executions.parent_fan_out_item_id IS 'For a child execution started inside a Map item or Parallel branch, that item.';
COMMENT ON COLUMN baton.executions.parent_state_name IS 'For a child execution, the parent''s Task state that started it.';
COMMENT ON COLUMN baton.executions.parent_waits IS 'True when the parent waits for this child (.sync or .sync:2): finishing it wakes the parent.';

CREATE INDEX executions_by_state_machine ON baton.executions (state_machine_id, status, started_at DESC);
CREATE INDEX executions_running ON baton.executions (started_at) WHERE status = 'RUNNING';
CREATE INDEX executions_by_parent ON baton.executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;

-- Allowed execution status changes. SUCCEEDED is final; the failed ends can be redriven.
CREATE FUNCTION baton.check_execution_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (
        (OLD.status = 'RUNNING' AND NEW.status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'))
        OR (OLD.status IN ('FAILED', 'TIMED_OUT', 'ABORTED') AND NEW.status IN ('PENDING_REDRIVE', 'RUNNING'))
        OR (OLD.status = 'PENDING_REDRIVE' AND NEW.status IN ('RUNNING', 'ABORTED'))
    ) THEN
        PERFORM baton.reject_status_change('execution', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_execution_transition() IS
    'Allowed execution status changes: RUNNING -> SUCCEEDED|FAILED|TIMED_OUT|ABORTED; FAILED|TIMED_OUT|ABORTED -> PENDING_REDRIVE|RUNNING (redrive); PENDING_REDRIVE -> RUNNING|ABORTED.';
CREATE TRIGGER executions_status_transition BEFORE UPDATE OF status ON baton.executions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION baton.check_execution_transition();

-- ---------------------------------------------------------------------------------------------------------
-- Execution history: append-only events in AWS's GetExecutionHistory shape
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.history_events (
    execution_id      bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    event_id          integer     NOT NULL CHECK (event_id > 0),
    previous_event_id integer     NOT NULL DEFAULT 0 CHECK (previous_event_id >= 0 AND previous_event_id < event_id),
    type              text        NOT NULL CHECK (type ~ '^[A-Z][A-Za-z]+$'),
    occurred_at       timestamptz NOT NULL,
    fan_out_item_id   bigint,     -- no FK: keeps the append path cheap; deleting the execution deletes both
    details           jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (execution_id, event_id)
);
COMMENT ON TABLE baton.history_events IS
    'The execution history, append-only (UPDATE is rejected by a trigger). Event ids are 1, 2, 3, ... per execution, allocated from baton.executions.last_event_id, so reading in event_id order replays the execution.';
COMMENT ON COLUMN baton.history_events.execution_id IS 'The execution.';
COMMENT ON COLUMN baton.history_events.event_id IS 'Per-execution event number, increasing from 1 without gaps.';
COMMENT ON COLUMN baton.history_events.previous_event_id IS 'The event this one follows from (0 for the first), as in AWS: it links a state''s events into a tree across Map iterations and Parallel branches.';
COMMENT ON COLUMN baton.history_events.type IS 'AWS history event type: ExecutionStarted, TaskStateEntered, TaskScheduled, TaskSucceeded, MapIterationStarted, ...';
COMMENT ON COLUMN baton.history_events.occurred_at IS 'When the event happened (the AWS timestamp).';
COMMENT ON COLUMN baton.history_events.fan_out_item_id IS 'The Map item or Parallel branch the event belongs to, NULL at the top level.';
COMMENT ON COLUMN baton.history_events.details IS 'The AWS event details object (e.g. {"name": ..., "input": "..."}); payloads inside are JSON strings as in AWS, so their key order is kept.';

CREATE TRIGGER history_events_append_only BEFORE UPDATE ON baton.history_events
    FOR EACH ROW EXECUTE FUNCTION baton.immutable_row();

-- ---------------------------------------------------------------------------------------------------------
-- Map and Parallel as rows
-- ---------------------------------------------------------------------------------------------------------
-- Entering a Map or Parallel state creates one fan_outs row and one fan_out_items row per item or branch
-- (inserted in one INSERT ... SELECT). Each item keeps its own interpreter state, so a 100,000-item Map never
-- loads 100,000 states to advance one of them, and the results are assembled by item_index in SQL.
CREATE TABLE baton.fan_outs (
    id                           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id                 bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    parent_item_id               bigint,     -- FK below (self-reference through fan_out_items)
    state_name                   text        NOT NULL,
    kind                         text        NOT NULL CHECK (kind IN ('map', 'parallel')),
    status                       text        NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'succeeded', 'failed', 'aborted')),
    item_count                   integer     NOT NULL CHECK (item_count >= 0),
    max_concurrency              integer     NOT NULL DEFAULT 0 CHECK (max_concurrency >= 0),
    tolerated_failure_count      integer     CHECK (tolerated_failure_count >= 0),
    tolerated_failure_percentage numeric     CHECK (tolerated_failure_percentage BETWEEN 0 AND 100),
    items_running                integer     NOT NULL DEFAULT 0 CHECK (items_running >= 0),
    items_succeeded              integer     NOT NULL DEFAULT 0 CHECK (items_succeeded >= 0),
    items_failed                 integer     NOT NULL DEFAULT 0 CHECK (items_failed >= 0),
    state                        text,
    output                       text,
    error                        text,
    cause                        text,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    finished_at                  timestamptz,
    CONSTRAINT fan_outs_counts_fit CHECK (items_running + items_succeeded + items_failed <= item_count),
    CONSTRAINT fan_outs_finished_at_matches_status CHECK ((status = 'running') = (finished_at IS NULL))
) WITH (fillfactor = 90);
COMMENT ON TABLE baton.fan_outs IS
    'One row per entry into a Map or Parallel state. Its items (Map items or Parallel branches) are rows of baton.fan_out_items; the counters drive MaxConcurrency refills and the tolerated-failure check without counting rows.';
COMMENT ON COLUMN baton.fan_outs.id IS 'Internal id.';
COMMENT ON COLUMN baton.fan_outs.execution_id IS 'The execution.';
COMMENT ON COLUMN baton.fan_outs.parent_item_id IS 'The enclosing Map item or Parallel branch when nested (a Map inside a Parallel inside a Map), NULL at the top level.';
COMMENT ON COLUMN baton.fan_outs.state_name IS 'The Map or Parallel state.';
COMMENT ON COLUMN baton.fan_outs.kind IS 'map or parallel.';
COMMENT ON COLUMN baton.fan_outs.status IS 'running, succeeded, failed (too many failed items, or a branch failed), aborted (execution stopped).';
COMMENT ON COLUMN baton.fan_outs.item_count IS 'Number of items (Map) or branches (Parallel); for an ItemBatcher Map, the number of batches.';
COMMENT ON COLUMN baton.fan_outs.max_concurrency IS 'At most this many items run at once; 0 means no limit.';
COMMENT ON COLUMN baton.fan_outs.tolerated_failure_count IS 'ToleratedFailureCount, when given.';
COMMENT ON COLUMN baton.fan_outs.tolerated_failure_percentage IS 'ToleratedFailurePercentage, when given.';
COMMENT ON COLUMN baton.fan_outs.items_running IS 'Items currently running.';
COMMENT ON COLUMN baton.fan_outs.items_succeeded IS 'Items that succeeded.';
COMMENT ON COLUMN baton.fan_outs.items_failed IS 'Items that failed.';
COMMENT ON COLUMN baton.fan_outs.state IS 'The interpreter''s saved context for the Map/Parallel state itself (e.g. its effective input for ResultPath), JSON text.';
COMMENT ON COLUMN baton.fan_outs.output IS 'The assembled result array, JSON text, once succeeded.';
COMMENT ON COLUMN baton.fan_outs.error IS 'ASL error name when failed.';
COMMENT ON COLUMN baton.fan_outs.cause IS 'Cause when failed.';
COMMENT ON COLUMN baton.fan_outs.created_at IS 'When the state was entered.';
COMMENT ON COLUMN baton.fan_outs.finished_at IS 'When the last item finished or the fan-out failed or was aborted.';
CREATE INDEX fan_outs_by_execution ON baton.fan_outs (execution_id);

CREATE TABLE baton.fan_out_items (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fan_out_id   bigint      NOT NULL REFERENCES baton.fan_outs (id) ON DELETE CASCADE,
    execution_id bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    item_index   integer     NOT NULL CHECK (item_index >= 0),
    status       text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'aborted')),
    input        text,
    output       text,
    error        text,
    cause        text,
    state        text,
    started_at   timestamptz,
    finished_at  timestamptz,
    UNIQUE (fan_out_id, item_index),
    CONSTRAINT fan_out_items_started CHECK (status = 'pending' OR status = 'aborted' OR started_at IS NOT NULL),
    CONSTRAINT fan_out_items_finished CHECK ((status IN ('pending', 'running')) = (finished_at IS NULL)),
    CONSTRAINT fan_out_items_output_only_on_success CHECK (output IS NULL OR status = 'succeeded')
) WITH (fillfactor = 90);
COMMENT ON TABLE baton.fan_out_items IS
    'One row per Map item (or ItemBatcher batch) or Parallel branch. Each runs its own copy of the ItemProcessor/branch with its own interpreter state; results are read back ordered by item_index.';
COMMENT ON COLUMN baton.fan_out_items.id IS 'Internal id; tasks, timers and child executions inside the item refer to it.';
COMMENT ON COLUMN baton.fan_out_items.fan_out_id IS 'The Map or Parallel entry this item belongs to.';
COMMENT ON COLUMN baton.fan_out_items.execution_id IS 'The execution (denormalised for queries and cascading deletes).';
COMMENT ON COLUMN baton.fan_out_items.item_index IS 'Position of the item in the Map input (or of the branch in Branches), from 0; results keep this order.';
COMMENT ON COLUMN baton.fan_out_items.status IS 'pending (waiting for a MaxConcurrency slot), running, succeeded, failed, aborted.';
COMMENT ON COLUMN baton.fan_out_items.input IS 'The item''s input after ItemSelector/ItemBatcher, JSON text.';
COMMENT ON COLUMN baton.fan_out_items.output IS 'The item''s result, JSON text, when succeeded.';
COMMENT ON COLUMN baton.fan_out_items.error IS 'ASL error name when failed.';
COMMENT ON COLUMN baton.fan_out_items.cause IS 'Cause when failed.';
COMMENT ON COLUMN baton.fan_out_items.state IS 'The interpreter''s serialized state for this item''s sub-state-machine (JSON text, format owned by the engine).';
COMMENT ON COLUMN baton.fan_out_items.started_at IS 'When the item started running.';
COMMENT ON COLUMN baton.fan_out_items.finished_at IS 'When the item finished.';
-- Refilling MaxConcurrency slots takes the lowest pending indexes of one fan-out.
CREATE INDEX fan_out_items_pending ON baton.fan_out_items (fan_out_id, item_index) WHERE status = 'pending';
CREATE INDEX fan_out_items_by_execution ON baton.fan_out_items (execution_id);

ALTER TABLE baton.fan_outs ADD CONSTRAINT fan_outs_parent_item_fk
    FOREIGN KEY (parent_item_id) REFERENCES baton.fan_out_items (id) ON DELETE CASCADE;
CREATE INDEX fan_outs_by_parent_item ON baton.fan_outs (parent_item_id) WHERE parent_item_id IS NOT NULL;
ALTER TABLE baton.executions ADD CONSTRAINT executions_parent_fan_out_item_fk
    FOREIGN KEY (parent_fan_out_item_id) REFERENCES baton.fan_out_items (id) ON DELETE SET NULL;

CREATE FUNCTION baton.check_fan_out_item_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (
        (OLD.status = 'pending' AND NEW.status IN ('running', 'aborted'))
        OR (OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed', 'aborted'))
    ) THEN
        PERFORM baton.reject_status_change('fan-out item', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_fan_out_item_transition() IS
    'Allowed item status changes: pending -> running|aborted; running -> succeeded|failed|aborted.';
CREATE TRIGGER fan_out_items_status_transition BEFORE UPDATE OF status ON baton.fan_out_items
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION baton.check_fan_out_item_transition();

-- ---------------------------------------------------------------------------------------------------------
-- Worker registry
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE baton.workers (
    worker_id         text        PRIMARY KEY,
    kind              text        NOT NULL DEFAULT 'worker' CHECK (kind IN ('worker', 'coordinator')),
    function_names    text[]      NOT NULL DEFAULT '{}',
    host              text        NOT NULL,
    pid               integer     NOT NULL,
    version           text,
    status            text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopping', 'stopped', 'lost')),
    concurrency       integer     NOT NULL DEFAULT 1 CHECK (concurrency > 0),
    tasks_in_flight   integer     NOT NULL DEFAULT 0 CHECK (tasks_in_flight >= 0),
    started_at        timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at        timestamptz
) WITH (fillfactor = 80);  -- a heartbeat every few seconds per process: keep those updates HOT
COMMENT ON TABLE baton.workers IS
    'Every running worker and coordinator process registers here and heartbeats. A worker whose heartbeat is older than the rescue threshold is considered lost: its running tasks are redelivered.';
COMMENT ON COLUMN baton.workers.worker_id IS 'Unique process id chosen at start (host, pid and a random suffix); tasks.lease_owner refers to it.';
COMMENT ON COLUMN baton.workers.kind IS 'worker (runs tasks) or coordinator (advances executions).';
COMMENT ON COLUMN baton.workers.function_names IS 'Functions a worker serves (usually one).';
COMMENT ON COLUMN baton.workers.host IS 'Host name of the process.';
COMMENT ON COLUMN baton.workers.pid IS 'Operating-system process id on that host.';
COMMENT ON COLUMN baton.workers.version IS 'Baton version of the process.';
COMMENT ON COLUMN baton.workers.status IS 'running, stopping (draining on SIGTERM), stopped (clean exit), lost (heartbeat expired; its tasks were rescued).';
COMMENT ON COLUMN baton.workers.concurrency IS 'How many tasks the worker runs at once.';
COMMENT ON COLUMN baton.workers.tasks_in_flight IS 'Tasks running at the last heartbeat.';
COMMENT ON COLUMN baton.workers.started_at IS 'When the process registered.';
COMMENT ON COLUMN baton.workers.last_heartbeat_at IS 'Last heartbeat; stale means the process is gone or stuck.';
COMMENT ON COLUMN baton.workers.stopped_at IS 'When the process stopped or was declared lost.';
CREATE INDEX workers_alive ON baton.workers (last_heartbeat_at) WHERE status IN ('running', 'stopping');

-- ---------------------------------------------------------------------------------------------------------
-- The task queue: one row per attempt of a Task state, claimed by workers
-- ---------------------------------------------------------------------------------------------------------
-- Claim (River's shape), by a worker serving function $1:
--   WITH next AS (SELECT id FROM baton.tasks
--                  WHERE status = 'available' AND function_name = $1 AND run_after <= now()
--                  ORDER BY priority, run_after, id LIMIT $2 FOR UPDATE SKIP LOCKED)
--   UPDATE baton.tasks t SET status = 'running', lease_owner = $3, lease_token = gen_random_uuid(), ...
--     FROM next WHERE t.id = next.id RETURNING t.*;
-- served by tasks_claim below. A retry (ASL Retry) inserts a new row with attempt + 1; a redelivery after a
-- lost worker puts the same row back to 'available' with a fresh lease token, so a late result carrying
-- the old token matches no row and is rejected (fencing).
CREATE TABLE baton.tasks (
    id                    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id          bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    fan_out_item_id       bigint      REFERENCES baton.fan_out_items (id) ON DELETE CASCADE,
    state_name            text        NOT NULL,
    function_name         text        NOT NULL,
    resource              text        NOT NULL,
    status                text        NOT NULL DEFAULT 'available'
        CHECK (status IN ('available', 'running', 'succeeded', 'failed', 'cancelled')),
    priority              smallint    NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 100),
    run_after             timestamptz NOT NULL DEFAULT now(),
    attempt               integer     NOT NULL DEFAULT 1 CHECK (attempt > 0),
    deliveries            integer     NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
    max_deliveries        integer     NOT NULL DEFAULT 3 CHECK (max_deliveries > 0),
    idempotency_key       text        NOT NULL,
    lease_owner           text,
    lease_token           uuid,
    lease_expires_at      timestamptz,
    timeout_seconds       integer     CHECK (timeout_seconds > 0),
    heartbeat_seconds     integer     CHECK (heartbeat_seconds > 0),
    timeout_at            timestamptz,
    heartbeat_deadline_at timestamptz,
    input                 text        NOT NULL,
    output                text,
    error                 text,
    cause                 text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,
    finished_at           timestamptz,
    CONSTRAINT tasks_lease_when_running CHECK (
        status <> 'running' OR (lease_owner IS NOT NULL AND lease_token IS NOT NULL AND started_at IS NOT NULL)),
    CONSTRAINT tasks_no_lease_when_available CHECK (
        status <> 'available' OR (lease_owner IS NULL AND lease_token IS NULL AND lease_expires_at IS NULL)),
    CONSTRAINT tasks_finished_at_matches_status CHECK (
        (status IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    CONSTRAINT tasks_output_only_on_success CHECK (output IS NULL OR status = 'succeeded'),
    CONSTRAINT tasks_error_on_failure CHECK (status <> 'failed' OR error IS NOT NULL),
    CONSTRAINT tasks_deliveries_bounded CHECK (deliveries <= max_deliveries)
) WITH (fillfactor = 80);  -- each row is updated 2-3 times (claim, heartbeats, result)
COMMENT ON TABLE baton.tasks IS
    'The task queue: one row per attempt of a Task state. Workers claim available rows of their function with FOR UPDATE SKIP LOCKED (ORDER BY priority, run_after, id), run them under a lease, and report the result in a transaction that also wakes a coordinator.';
COMMENT ON COLUMN baton.tasks.id IS 'Task id, also the tie-breaker of the claim order.';
COMMENT ON COLUMN baton.tasks.execution_id IS 'The execution.';
COMMENT ON COLUMN baton.tasks.fan_out_item_id IS 'The Map item or Parallel branch the task runs in, NULL at the top level.';
COMMENT ON COLUMN baton.tasks.state_name IS 'The Task state.';
COMMENT ON COLUMN baton.tasks.function_name IS 'The function that runs it (from the Resource ARN); workers claim by this name.';
COMMENT ON COLUMN baton.tasks.resource IS 'The Resource ARN as written in the definition.';
COMMENT ON COLUMN baton.tasks.status IS 'available (waiting for a worker, possibly until run_after), running (claimed, leased), succeeded, failed, cancelled (execution stopped or the state was abandoned).';
COMMENT ON COLUMN baton.tasks.priority IS 'Lower runs first (0 highest, default 1).';
COMMENT ON COLUMN baton.tasks.run_after IS 'Not claimed before this time.';
COMMENT ON COLUMN baton.tasks.attempt IS 'ASL attempt number of this state entry: 1 first try, 2 first retry, ...; each Retry inserts a new row.';
COMMENT ON COLUMN baton.tasks.deliveries IS 'How many times workers have claimed this row; above 1 means it was redelivered after a lost worker.';
COMMENT ON COLUMN baton.tasks.max_deliveries IS 'After this many lost deliveries the task fails with States.TaskFailed (worker lost).';
COMMENT ON COLUMN baton.tasks.idempotency_key IS 'Execution, state (and item) and attempt, handed to the function so it can ignore a redelivered duplicate.';
COMMENT ON COLUMN baton.tasks.lease_owner IS 'worker_id (baton.workers) of the worker holding the task.';
COMMENT ON COLUMN baton.tasks.lease_token IS 'Fencing token issued at claim; a result is applied only if it carries the current token.';
COMMENT ON COLUMN baton.tasks.lease_expires_at IS 'The lease ends here unless renewed; an expired lease makes the task eligible for rescue.';
COMMENT ON COLUMN baton.tasks.timeout_seconds IS 'TimeoutSeconds of the Task state, if any.';
COMMENT ON COLUMN baton.tasks.heartbeat_seconds IS 'HeartbeatSeconds of the Task state, if any.';
COMMENT ON COLUMN baton.tasks.timeout_at IS 'When the task fails with States.Timeout if not finished.';
COMMENT ON COLUMN baton.tasks.heartbeat_deadline_at IS 'When the task fails with States.HeartbeatTimeout unless a heartbeat moves it.';
COMMENT ON COLUMN baton.tasks.input IS 'The task input sent to the function, JSON text.';
COMMENT ON COLUMN baton.tasks.output IS 'The function''s result, JSON text, when succeeded.';
COMMENT ON COLUMN baton.tasks.error IS 'ASL error name when failed (the function''s own, States.Timeout, States.TaskFailed, ...).';
COMMENT ON COLUMN baton.tasks.cause IS 'Cause when failed.';
COMMENT ON COLUMN baton.tasks.created_at IS 'When the task became ready or was scheduled (latency is measured from greatest(created_at, run_after)).';
COMMENT ON COLUMN baton.tasks.started_at IS 'When the current delivery was claimed.';
COMMENT ON COLUMN baton.tasks.finished_at IS 'When the result (or cancellation) was recorded.';

-- The claim path: only available rows are indexed, in exactly the claim order, so claiming reads the first
-- rows of one function's slice and the index stays as small as the backlog.
CREATE INDEX tasks_claim ON baton.tasks (function_name, priority, run_after, id) WHERE status = 'available';
-- The rescuer: running tasks whose lease, timeout or heartbeat deadline passed. Query with the same
-- expression: WHERE status = 'running' AND least(lease_expires_at, timeout_at, heartbeat_deadline_at) <= now()
CREATE INDEX tasks_running_deadline ON baton.tasks (least(lease_expires_at, timeout_at, heartbeat_deadline_at))
    WHERE status = 'running';
-- Rescuing the tasks of a lost worker.
CREATE INDEX tasks_running_by_owner ON baton.tasks (lease_owner) WHERE status = 'running';
-- Cancelling an execution's tasks, describing an execution.
CREATE INDEX tasks_by_execution ON baton.tasks (execution_id);
CREATE INDEX tasks_by_fan_out_item ON baton.tasks (fan_out_item_id) WHERE fan_out_item_id IS NOT NULL;

CREATE FUNCTION baton.check_task_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (
        (OLD.status = 'available' AND NEW.status IN ('running', 'cancelled', 'failed'))
        OR (OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed', 'cancelled', 'available'))
    ) THEN
        PERFORM baton.reject_status_change('task', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_task_transition() IS
    'Allowed task status changes: available -> running|cancelled|failed (timed out before any worker took it); running -> succeeded|failed|cancelled|available (redelivery). Finished tasks are final.';
CREATE TRIGGER tasks_status_transition BEFORE UPDATE OF status ON baton.tasks
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION baton.check_task_transition();

-- ---------------------------------------------------------------------------------------------------------
-- Timers: Wait states, retry back-off, timeouts
-- ---------------------------------------------------------------------------------------------------------
-- A coordinator sleeps until min(due_at) of pending timers (or a NOTIFY), then claims due timers with
-- FOR UPDATE SKIP LOCKED and applies them in the same transaction that marks them fired, so a timer fires
-- once even with several coordinators and survives any coordinator restart.
CREATE TABLE baton.timers (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id    bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    fan_out_item_id bigint      REFERENCES baton.fan_out_items (id) ON DELETE CASCADE,
    task_id         bigint      REFERENCES baton.tasks (id) ON DELETE CASCADE,
    state_name      text        NOT NULL,
    kind            text        NOT NULL
        CHECK (kind IN ('wait', 'retry', 'task_timeout', 'heartbeat_timeout', 'execution_timeout')),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
    due_at          timestamptz NOT NULL,
    payload         text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    fired_at        timestamptz,
    CONSTRAINT timers_fired_at_matches_status CHECK ((status = 'fired') = (fired_at IS NOT NULL))
);
COMMENT ON TABLE baton.timers IS
    'Durable timers: Wait states, Retry back-off, task and execution timeouts. Nothing sleeps in a thread; coordinators wake at the earliest due_at.';
COMMENT ON COLUMN baton.timers.id IS 'Internal id.';
COMMENT ON COLUMN baton.timers.execution_id IS 'The execution.';
COMMENT ON COLUMN baton.timers.fan_out_item_id IS 'The Map item or Parallel branch, NULL at the top level.';
COMMENT ON COLUMN baton.timers.task_id IS 'The task a timeout timer watches, if any.';
COMMENT ON COLUMN baton.timers.state_name IS 'The state that set the timer.';
COMMENT ON COLUMN baton.timers.kind IS 'wait (Wait state), retry (Retry back-off), task_timeout, heartbeat_timeout, execution_timeout.';
COMMENT ON COLUMN baton.timers.status IS 'pending, fired, cancelled (the state was left or the execution stopped).';
COMMENT ON COLUMN baton.timers.due_at IS 'When the timer fires.';
COMMENT ON COLUMN baton.timers.payload IS 'What the coordinator needs when it fires (JSON text, format owned by the engine).';
COMMENT ON COLUMN baton.timers.created_at IS 'When the timer was set.';
COMMENT ON COLUMN baton.timers.fired_at IS 'When a coordinator applied it (fired_at - due_at is the timer lateness).';
CREATE INDEX timers_due ON baton.timers (due_at, id) WHERE status = 'pending';
CREATE INDEX timers_by_execution ON baton.timers (execution_id);
CREATE INDEX timers_by_task ON baton.timers (task_id) WHERE task_id IS NOT NULL;

CREATE FUNCTION baton.check_timer_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (OLD.status = 'pending' AND NEW.status IN ('fired', 'cancelled')) THEN
        PERFORM baton.reject_status_change('timer', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_timer_transition() IS 'Allowed timer status changes: pending -> fired|cancelled.';
CREATE TRIGGER timers_status_transition BEFORE UPDATE OF status ON baton.timers
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION baton.check_timer_transition();

-- ---------------------------------------------------------------------------------------------------------
-- The coordinator inbox: units of work waiting to be applied to an execution
-- ---------------------------------------------------------------------------------------------------------
-- Whoever causes work for a coordinator (start-execution, a worker reporting a result, a child execution
-- finishing, stop-execution) inserts a row here in its own committing transaction and NOTIFYs. Coordinators
-- claim rows with FOR UPDATE SKIP LOCKED, lock the executions they touch, apply them through the pure core
-- and DELETE them, all in one transaction: a killed coordinator's rows simply become claimable again, and
-- no row is applied twice. Rows are short-lived, so the table stays small; vacuum it aggressively.
CREATE TABLE baton.inbox (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id       bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    fan_out_item_id    bigint      REFERENCES baton.fan_out_items (id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN (
        'execution_started', 'task_finished', 'timer_fired', 'child_finished',
        'stop_requested', 'redrive_requested')),
    task_id            bigint      REFERENCES baton.tasks (id) ON DELETE CASCADE,
    timer_id           bigint      REFERENCES baton.timers (id) ON DELETE CASCADE,
    child_execution_id bigint      REFERENCES baton.executions (id) ON DELETE CASCADE,
    details            jsonb,
    available_at       timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inbox_reference_matches_kind CHECK (
        (kind <> 'task_finished' OR task_id IS NOT NULL)
        AND (kind <> 'timer_fired' OR timer_id IS NOT NULL)
        AND (kind <> 'child_finished' OR child_execution_id IS NOT NULL))
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
COMMENT ON TABLE baton.inbox IS
    'Work waiting for a coordinator: one row per event to apply to an execution. Claimed with FOR UPDATE SKIP LOCKED in id order and deleted in the transaction that applies it.';
COMMENT ON COLUMN baton.inbox.id IS 'Arrival order; coordinators take the oldest first.';
COMMENT ON COLUMN baton.inbox.execution_id IS 'The execution the event applies to.';
COMMENT ON COLUMN baton.inbox.fan_out_item_id IS 'The Map item or Parallel branch it applies to, NULL at the top level.';
COMMENT ON COLUMN baton.inbox.kind IS 'execution_started, task_finished, timer_fired, child_finished, stop_requested, redrive_requested.';
COMMENT ON COLUMN baton.inbox.task_id IS 'For task_finished: the task whose result (in baton.tasks) to apply.';
COMMENT ON COLUMN baton.inbox.timer_id IS 'For timer_fired: the timer.';
COMMENT ON COLUMN baton.inbox.child_execution_id IS 'For child_finished: the child execution that finished.';
COMMENT ON COLUMN baton.inbox.details IS 'Small kind-specific data (e.g. the error and cause of a stop request).';
COMMENT ON COLUMN baton.inbox.available_at IS 'Not claimed before this time (lets a coordinator put work back with a delay).';
COMMENT ON COLUMN baton.inbox.created_at IS 'When the event was recorded; now() - created_at of the oldest row is the coordinator backlog age.';
CREATE INDEX inbox_claim ON baton.inbox (available_at, id);
CREATE INDEX inbox_by_execution ON baton.inbox (execution_id, id);
CREATE INDEX inbox_by_task ON baton.inbox (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX inbox_by_timer ON baton.inbox (timer_id) WHERE timer_id IS NOT NULL;
CREATE INDEX inbox_by_child ON baton.inbox (child_execution_id) WHERE child_execution_id IS NOT NULL;
