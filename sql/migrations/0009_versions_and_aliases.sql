-- 0009_versions_and_aliases: published state machine versions and aliases, as AWS has them.
--
-- baton.state_machine_versions holds every revision of a definition (each create or update adds one, and an
-- execution points at the revision it started with). A *published version* is one of those revisions given a
-- number — 1, 2, 3, … per state machine, never reused after a delete — by PublishStateMachineVersion (or
-- CreateStateMachine/UpdateStateMachine with `publish`); its ARN is the state machine ARN with `:NUMBER`. An
-- *alias* names one published version, or two with weights that add up to 100 (a canary), and its ARN is the
-- state machine ARN with `:NAME`. Starting an execution with a version or alias ARN runs that version (for an
-- alias, one of its versions by weight), and the execution remembers which.

CREATE TABLE baton.state_machine_published_versions (
    state_machine_id bigint      NOT NULL REFERENCES baton.state_machines (id) ON DELETE CASCADE,
    version_number   integer     NOT NULL CHECK (version_number > 0),
    state_machine_version_id bigint NOT NULL UNIQUE REFERENCES baton.state_machine_versions (id),
    description      text        CHECK (char_length(description) <= 256),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (state_machine_id, version_number)
);
COMMENT ON TABLE baton.state_machine_published_versions IS
    'Published versions (PublishStateMachineVersion): a revision of baton.state_machine_versions given a number, 1, 2, 3, ... per state machine. ARN: the state machine ARN followed by :NUMBER.';
COMMENT ON COLUMN baton.state_machine_published_versions.state_machine_id IS 'The state machine.';
COMMENT ON COLUMN baton.state_machine_published_versions.version_number IS 'The version number, from 1; a deleted number is not used again.';
COMMENT ON COLUMN baton.state_machine_published_versions.state_machine_version_id IS
    'The revision (the baton.state_machine_versions row) it publishes; a revision is published at most once.';
COMMENT ON COLUMN baton.state_machine_published_versions.description IS 'The version description given when it was published.';
COMMENT ON COLUMN baton.state_machine_published_versions.created_at IS 'When it was published.';

ALTER TABLE baton.state_machines ADD COLUMN last_version_number integer NOT NULL DEFAULT 0 CHECK (last_version_number >= 0);
COMMENT ON COLUMN baton.state_machines.last_version_number IS
    'The highest version number published so far (the next is one more, even after deletes).';

CREATE TABLE baton.state_machine_aliases (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state_machine_id bigint      NOT NULL REFERENCES baton.state_machines (id) ON DELETE CASCADE,
    name             text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80 AND name !~ '^[0-9]+$'),
    description      text        CHECK (char_length(description) <= 256),
    routing          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (state_machine_id, name)
);
COMMENT ON TABLE baton.state_machine_aliases IS
    'Aliases (CreateStateMachineAlias): a name for one published version, or two with weights (a canary). ARN: the state machine ARN followed by :NAME.';
COMMENT ON COLUMN baton.state_machine_aliases.id IS 'Internal id.';
COMMENT ON COLUMN baton.state_machine_aliases.state_machine_id IS 'The state machine.';
COMMENT ON COLUMN baton.state_machine_aliases.name IS 'The alias name (not all digits, which would read as a version number).';
COMMENT ON COLUMN baton.state_machine_aliases.description IS 'Its description.';
COMMENT ON COLUMN baton.state_machine_aliases.routing IS
    'Where executions started with the alias go: [{"version": NUMBER, "weight": PERCENT}, ...], one or two entries adding up to 100.';
COMMENT ON COLUMN baton.state_machine_aliases.created_at IS 'When it was created.';
COMMENT ON COLUMN baton.state_machine_aliases.updated_at IS 'When it was last updated.';

ALTER TABLE baton.executions
    ADD COLUMN started_with_version integer,
    ADD COLUMN started_with_alias text;
COMMENT ON COLUMN baton.executions.started_with_version IS
    'The published version number the execution was started with (a version or alias ARN), NULL when started with the state machine ARN.';
COMMENT ON COLUMN baton.executions.started_with_alias IS 'The alias name the execution was started with, if any.';
