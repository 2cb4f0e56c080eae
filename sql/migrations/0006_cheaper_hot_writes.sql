-- 0006_cheaper_hot_writes: less work for PostgreSQL per task-state transition, same behaviour.
--
-- Per task-state transition the engine appends ~6 history events, inserts and deletes two inbox rows
-- (task_started, task_finished) and updates its execution row a few times. This migration removes work
-- those writes did for nothing (docs/schema.md, "Migration 0006", has the measurements):
--
--   * history_events: the foreign key to executions cost one `SELECT … FOR KEY SHARE` per appended row
--     (85,000 for 15,000 transitions). History is appended only by the coordinator holding the execution's
--     row lock (FOR NO KEY UPDATE), which already keeps the row from being deleted, so the check proved
--     nothing. ON DELETE CASCADE is kept as a statement-level trigger: deleting executions deletes their
--     history in one set-based DELETE per statement (and TRUNCATE … CASCADE empties it, as before).
--   * inbox: rows live for milliseconds and always belong to their execution, whose foreign key (kept, with
--     its cascade and the KEY SHARE lock that keeps an execution from disappearing under a worker's insert)
--     deletes them. The foreign keys on task_id, timer_id, child_execution_id and fan_out_item_id only
--     checked rows the same statement had just updated or inserted (a task's claim or result, a timer being
--     fired, a finished child) and cascaded deletes that only ever happen together with the execution's. They
--     go, with the indexes that existed only for those cascades (no query reads the inbox by task, timer or
--     child).
--   * executions: fillfactor 90 -> 50. The coordinator updates an execution row once per visit (about
--     four times per execution); with room for seven new row versions on the page, 75% of the updates that
--     keep the status are HOT (no new entry in the table's five indexes) instead of 29%. The cost is space:
--     a page holds about half as many retained executions (each still far smaller than its history). Only
--     pages written from now on get the extra room.
--
-- Nothing a query can see changes: the same rows exist, and deleting executions removes the same rows.

-- ---------------------------------------------------------------------------------------------------------
-- History: ON DELETE CASCADE as a statement-level trigger instead of a per-row foreign key check
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE baton.history_events DROP CONSTRAINT history_events_execution_id_fkey;

-- SECURITY DEFINER: like the foreign key's cascade it replaces, it deletes history as the table owner, so
-- whoever may delete executions does not also need DELETE on baton.history_events.
CREATE FUNCTION baton.delete_history_of_deleted_executions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE baton.history_events;
    ELSE
        -- = ANY(ARRAY(…)): primary-key probes whatever the planner guesses about the transition table.
        DELETE FROM baton.history_events WHERE execution_id = ANY (ARRAY(SELECT id FROM deleted_executions));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION baton.delete_history_of_deleted_executions() IS
    'Deletes the history of deleted executions (and empties it when executions are truncated): the ON DELETE CASCADE of history_events.execution_id, set-based, once per statement.';
CREATE TRIGGER executions_delete_history AFTER DELETE ON baton.executions
    REFERENCING OLD TABLE AS deleted_executions FOR EACH STATEMENT
    EXECUTE FUNCTION baton.delete_history_of_deleted_executions();
CREATE TRIGGER executions_truncate_history AFTER TRUNCATE ON baton.executions
    FOR EACH STATEMENT EXECUTE FUNCTION baton.delete_history_of_deleted_executions();
COMMENT ON COLUMN baton.history_events.execution_id IS
    'The execution. No foreign key (it cost a check per appended event): events are appended only under the execution''s row lock, and deleting executions deletes their history (trigger executions_delete_history).';

-- ---------------------------------------------------------------------------------------------------------
-- Inbox: only the execution's foreign key
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE baton.inbox
    DROP CONSTRAINT inbox_task_id_fkey,
    DROP CONSTRAINT inbox_timer_id_fkey,
    DROP CONSTRAINT inbox_child_execution_id_fkey,
    DROP CONSTRAINT inbox_fan_out_item_id_fkey;
DROP INDEX baton.inbox_by_task, baton.inbox_by_timer, baton.inbox_by_child;
COMMENT ON COLUMN baton.inbox.fan_out_item_id IS
    'The Map item or Parallel branch it applies to, NULL at the top level (an item of the same execution; no foreign key).';
COMMENT ON COLUMN baton.inbox.task_id IS
    'For task_started, task_finished and callback_finished: the task (its result, for task_finished, is in baton.tasks). No foreign key: the task belongs to the same execution and is deleted only with it.';
COMMENT ON COLUMN baton.inbox.timer_id IS
    'For timer_fired: the timer (of the same execution; no foreign key).';
COMMENT ON COLUMN baton.inbox.child_execution_id IS
    'For child_finished: the child execution that finished. No foreign key: if the child was deleted before its parent applied the row, the row is ignored.';

-- ---------------------------------------------------------------------------------------------------------
-- Executions: room for HOT updates
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE baton.executions SET (fillfactor = 50);
