-- 0005_redrive: a redriven Map refills MaxConcurrency items at a time, and RedriveExecution's clientToken.
--
-- MaxConcurrency on redrive: the items of a failed fan-out that did not succeed go back to `pending` (keeping
-- their interpreter state) and the fan-out refills from the lowest pending index as on a first run; the
-- coordinator redrives a pending item's stored run when it ended failed, timed out or aborted. That needs the
-- item transitions failed|aborted -> pending.
--
-- clientToken: AWS answers a repeated RedriveExecution carrying one of the last 10 client tokens that
-- redrove the execution, within 15 minutes of its first use, with the same redriveDate and no second redrive.
-- redrive_client_tokens keeps those tokens; ExecutionStore.redrive reads and writes it under the execution
-- row lock and drops the older ones.

CREATE OR REPLACE FUNCTION baton.check_fan_out_item_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (
        (OLD.status = 'pending' AND NEW.status IN ('running', 'aborted'))
        OR (OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed', 'aborted'))
        OR (OLD.status IN ('failed', 'aborted') AND NEW.status IN ('pending', 'running'))
    ) THEN
        PERFORM baton.reject_status_change('fan-out item', OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION baton.check_fan_out_item_transition() IS
    'Allowed item status changes: pending -> running|aborted; running -> succeeded|failed|aborted; failed|aborted -> pending|running (redrive).';
COMMENT ON COLUMN baton.fan_out_items.status IS
    'pending (waiting for a MaxConcurrency slot, also after a redrive put it back), running, succeeded, failed, aborted.';

CREATE TABLE baton.redrive_client_tokens (
    execution_id bigint      NOT NULL REFERENCES baton.executions (id) ON DELETE CASCADE,
    client_token text        NOT NULL CHECK (length(client_token) BETWEEN 1 AND 64),
    redrive_date timestamptz NOT NULL,
    PRIMARY KEY (execution_id, client_token)
);
COMMENT ON TABLE baton.redrive_client_tokens IS
    'The client tokens of the latest accepted RedriveExecution requests per execution (at most 10 kept): a repeat with one of them within 15 minutes returns its redrive_date and redrives nothing.';
COMMENT ON COLUMN baton.redrive_client_tokens.execution_id IS 'The redriven execution.';
COMMENT ON COLUMN baton.redrive_client_tokens.client_token IS 'The clientToken of the request (case-sensitive, 1 to 64 characters).';
COMMENT ON COLUMN baton.redrive_client_tokens.redrive_date IS 'The redriveDate that request answered with; the token counts for 15 minutes from it.';
