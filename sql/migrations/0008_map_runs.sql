-- 0008_map_runs: a DISTRIBUTED Map's map run has a name, can be updated while it runs, and counts its redrives.
--
-- Each entry into a DISTRIBUTED Map state is a map run, which AWS names
-- arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID and which DescribeMapRun, ListMapRuns and
-- ListExecutions (mapRunArn) look up. Its rows were already here (the fan_outs row and its items, whose child
-- executions point at them); the fan-out now keeps the ARN. Map runs started before this migration have none
-- (their MapRunStarted events carry an ARN of an older form) and cannot be looked up by ARN.

ALTER TABLE baton.fan_outs ADD COLUMN map_run_arn text;
COMMENT ON COLUMN baton.fan_outs.map_run_arn IS
    'For a DISTRIBUTED Map: the map run ARN (arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID), as in its MapRunStarted event; NULL for inline Maps and Parallel states.';
CREATE UNIQUE INDEX fan_outs_by_map_run_arn ON baton.fan_outs (map_run_arn) WHERE map_run_arn IS NOT NULL;

-- Redriving an execution that ended in a Map or Parallel state resumes its fan-out (a redriven map run, for a
-- DISTRIBUTED Map): how many times, and when last.
ALTER TABLE baton.fan_outs
    ADD COLUMN redrive_count integer NOT NULL DEFAULT 0 CHECK (redrive_count >= 0),
    ADD COLUMN redriven_at timestamptz;
COMMENT ON COLUMN baton.fan_outs.redrive_count IS
    'How many times a redrive of the execution resumed this fan-out (DescribeMapRun redriveCount).';
COMMENT ON COLUMN baton.fan_outs.redriven_at IS 'When a redrive last resumed it (DescribeMapRun redriveDate).';

-- UpdateMapRun changes a running map run's MaxConcurrency and tolerated failures; the coordinator applies the
-- change (refills up to the new limit, or fails the map run when its failures now exceed the threshold) on a
-- 'map_run_updated' inbox row whose details name the fan-out.
ALTER TABLE baton.inbox DROP CONSTRAINT inbox_kind_check;
ALTER TABLE baton.inbox ADD CONSTRAINT inbox_kind_check CHECK (kind IN (
    'execution_started', 'task_started', 'task_finished', 'timer_fired', 'child_finished',
    'stop_requested', 'redrive_requested', 'callback_finished', 'map_run_updated'));
COMMENT ON COLUMN baton.inbox.kind IS
    'execution_started, task_started (a worker claimed the task), task_finished, timer_fired, child_finished, stop_requested, redrive_requested, callback_finished (SendTaskSuccess/SendTaskFailure: task_id names the task, details.callbackId the baton.task_callbacks row), map_run_updated (UpdateMapRun: details.fanOutId names the fan-out).';
