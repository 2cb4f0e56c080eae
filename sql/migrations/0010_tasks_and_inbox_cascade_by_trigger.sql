-- 0010_tasks_and_inbox_cascade_by_trigger: no per-row foreign-key check when tasks and inbox rows are written.
--
-- Every task-state transition inserts a task (the coordinator) and an inbox row (the worker's result), and
-- each insert checked its foreign key to baton.executions with a `SELECT … FOR KEY SHARE` of the execution
-- row — which the coordinator holds FOR NO KEY UPDATE at the time, so the two lockers also made a MultiXact.
-- Those checks were about 5 % of PostgreSQL's CPU in `baton bench`. As for history in 0006, ON DELETE
-- CASCADE becomes one statement-level trigger: deleting (or truncating) executions deletes their tasks and
-- inbox rows, set-based, once per statement.
--
-- Why no row can be left without its execution: tasks are inserted only by the coordinator that holds the
-- execution's row lock. Inbox rows are inserted for a task, timer, item or child row the writer holds locked
-- (a worker's result, a fired timer, a finished child whose parent link a deletion's ON DELETE SET NULL must
-- wait for): the deletion's cascades wait for that lock, and the trigger's inbox DELETE runs after them, in a
-- statement that sees the new row. The others are written by the coordinator that holds the execution, or
-- — a stop request — after `SELECT … FOR KEY SHARE` of the execution in the same statement. Nothing a
-- query can see changes.

ALTER TABLE baton.tasks DROP CONSTRAINT tasks_execution_id_fkey;
ALTER TABLE baton.inbox DROP CONSTRAINT inbox_execution_id_fkey;

-- SECURITY DEFINER: like the cascades it replaces, it deletes as the table owner, so whoever may delete
-- executions does not also need DELETE on baton.tasks and baton.inbox.
CREATE FUNCTION baton.delete_tasks_and_inbox_of_deleted_executions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- (TRUNCATE … CASCADE has emptied tasks already, through their foreign key to fan_out_items, and may
        -- not truncate them twice in one statement: this DELETE finds nothing left, or what a cascade missed.)
        DELETE FROM baton.tasks;
        TRUNCATE baton.inbox;
    ELSE
        -- Tasks first: a worker's result holding a task's lock is waited for, and its inbox row then deleted.
        -- (= ANY(ARRAY(…)): index probes whatever the planner guesses about the transition table.)
        DELETE FROM baton.tasks WHERE execution_id = ANY (ARRAY(SELECT id FROM deleted_executions));
        DELETE FROM baton.inbox WHERE execution_id = ANY (ARRAY(SELECT id FROM deleted_executions));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION baton.delete_tasks_and_inbox_of_deleted_executions() IS
    'Deletes the tasks and inbox rows of deleted executions (and empties both when executions are truncated): the ON DELETE CASCADE of tasks.execution_id and inbox.execution_id, set-based, once per statement.';
CREATE TRIGGER executions_delete_tasks_and_inbox AFTER DELETE ON baton.executions
    REFERENCING OLD TABLE AS deleted_executions FOR EACH STATEMENT
    EXECUTE FUNCTION baton.delete_tasks_and_inbox_of_deleted_executions();
CREATE TRIGGER executions_truncate_tasks_and_inbox AFTER TRUNCATE ON baton.executions
    FOR EACH STATEMENT EXECUTE FUNCTION baton.delete_tasks_and_inbox_of_deleted_executions();

COMMENT ON COLUMN baton.tasks.execution_id IS
    'The execution. No foreign key (it cost a check per task): tasks are inserted only under the execution''s row lock, and deleting executions deletes their tasks (trigger executions_delete_tasks_and_inbox).';
COMMENT ON COLUMN baton.inbox.execution_id IS
    'The execution the event applies to. No foreign key (it cost a check per row): deleting executions deletes their inbox rows (trigger executions_delete_tasks_and_inbox).';
