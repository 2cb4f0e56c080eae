-- 0007_failed_without_error: an execution can fail without an error name.
--
-- A Fail state may leave out Error (and Cause); AWS then reports the execution FAILED with neither. 0001
-- required an error on every FAILED execution, so Baton stored '' and read it back as none — and people
-- querying baton.executions or baton.recent_failures saw an empty string where AWS shows nothing. The rule
-- goes, '' becomes NULL, and the engine writes NULL from now on. (Tasks keep their rule: a failed task always
-- has an error name, States.TaskFailed when nothing better is known.)

ALTER TABLE baton.executions DROP CONSTRAINT executions_error_on_failure;
UPDATE baton.executions SET error = NULL WHERE status = 'FAILED' AND error = '';
COMMENT ON COLUMN baton.executions.error IS
    'ASL error name when the execution failed, timed out or was aborted (States.TaskFailed, a custom name, ...); NULL when there is none, as for a Fail state without Error.';
