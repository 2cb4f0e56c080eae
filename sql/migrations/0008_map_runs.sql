-- 0008_map_runs: a DISTRIBUTED Map's map run has a name.
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
