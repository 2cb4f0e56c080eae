import BatonPostgres
import BatonSchema
import Foundation
import Testing

/// The monitoring views of 0002_monitoring_views.sql against a small, known database: two state machines,
/// executions in every end status, open and finished tasks, timers, inbox rows and three registered processes.
/// Each test asserts the exact rows its view returns (ages within a range, since they are measured from now()).
@Suite struct MonitoringViewsTests {
    /// The rows every test starts from. Ids are fixed (OVERRIDING SYSTEM VALUE) so the tests can name them;
    /// times are relative to now() except for the finished tasks, whose waits and run times must be exact.
    static let fixture = """
        INSERT INTO baton.state_machines (id, name, arn) OVERRIDING SYSTEM VALUE VALUES
            (1, 'orders', 'arn:aws:states:local:000000000000:stateMachine:orders'),
            (2, 'billing', 'arn:aws:states:local:000000000000:stateMachine:billing');
        INSERT INTO baton.state_machine_versions
            (id, state_machine_id, version_number, revision_id, definition, definition_json) OVERRIDING SYSTEM VALUE
        VALUES (1, 1, 1, gen_random_uuid(), '{}', '{}'), (2, 2, 1, gen_random_uuid(), '{}', '{}');
        UPDATE baton.state_machines SET current_version_id = id;
        INSERT INTO baton.executions
            (id, arn, name, state_machine_id, version_id, status, input, output, error, cause, started_at, stopped_at, state)
        OVERRIDING SYSTEM VALUE VALUES
            (1, 'arn:e:1', 'charging', 1, 1, 'RUNNING', '{}', NULL, NULL, NULL, now() - interval '120 seconds', NULL,
             '{"stateName":"Charge","phase":{"awaitingTask":{"id":1}},"status":"RUNNING"}'),
            (2, 'arn:e:2', 'mapping', 1, 1, 'RUNNING', '{}', NULL, NULL, NULL, now() - interval '60 seconds', NULL, NULL),
            (3, 'arn:e:3', 'done', 1, 1, 'SUCCEEDED', '{}', '{}', NULL, NULL, now() - interval '1 hour', now() - interval '50 minutes', NULL),
            (4, 'arn:e:4', 'broke', 1, 1, 'FAILED', '{}', NULL, 'States.TaskFailed', 'card declined',
             now() - interval '30 seconds', now() - interval '10 seconds', NULL),
            (5, 'arn:e:5', 'slow', 1, 1, 'TIMED_OUT', '{}', NULL, 'States.Timeout', NULL,
             now() - interval '30 seconds', now() - interval '5 seconds', NULL),
            (6, 'arn:e:6', 'stopped', 2, 2, 'ABORTED', '{}', NULL, 'Operator', 'stopped by hand',
             now() - interval '30 seconds', now() - interval '1 second', NULL);
        INSERT INTO baton.fan_outs (id, execution_id, state_name, kind, item_count, items_running) OVERRIDING SYSTEM VALUE
        VALUES (1, 2, 'ProcessItems', 'map', 2, 1);
        INSERT INTO baton.fan_out_items (id, fan_out_id, execution_id, item_index, status, started_at) OVERRIDING SYSTEM VALUE
        VALUES (1, 1, 2, 0, 'running', now()), (2, 1, 2, 1, 'pending', NULL);
        INSERT INTO baton.workers (worker_id, kind, function_names, host, pid, status, concurrency, tasks_in_flight, last_heartbeat_at, stopped_at)
        VALUES ('w1', 'worker', '{charge}', 'alpha', 101, 'running', 4, 1, now() - interval '2 seconds', NULL),
               ('w2', 'worker', '{ship}', 'beta', 202, 'running', 2, 1, now() - interval '90 seconds', NULL),
               ('c1', 'coordinator', '{}', 'alpha', 303, 'stopped', 1, 0, now() - interval '1 hour', now() - interval '1 hour');
        -- Open tasks: two ready and one scheduled charge task, one charge task running on w1 (healthy lease), one
        -- ship task in a Map item whose lease ran out a minute ago on w2.
        INSERT INTO baton.tasks (execution_id, fan_out_item_id, state_name, function_name, resource, status, idempotency_key,
                                 input, created_at, run_after, lease_owner, lease_token, lease_expires_at, started_at)
        VALUES (1, NULL, 'Charge', 'charge', 'arn:r', 'available', 'k1', '{}', now() - interval '40 seconds', now() - interval '40 seconds', NULL, NULL, NULL, NULL),
               (1, NULL, 'Charge', 'charge', 'arn:r', 'available', 'k2', '{}', now() - interval '10 seconds', now() - interval '10 seconds', NULL, NULL, NULL, NULL),
               (1, NULL, 'Charge', 'charge', 'arn:r', 'available', 'k3', '{}', now(), now() + interval '60 seconds', NULL, NULL, NULL, NULL),
               (1, NULL, 'Charge', 'charge', 'arn:r', 'running', 'k4', '{}', now() - interval '5 seconds', now() - interval '5 seconds',
                'w1', gen_random_uuid(), now() + interval '27 seconds', now() - interval '3 seconds'),
               (2, 1, 'Ship', 'ship', 'arn:s', 'running', 'k5', '{}', now() - interval '100 seconds', now() - interval '100 seconds',
                'w2', gen_random_uuid(), now() - interval '60 seconds', now() - interval '90 seconds');
        -- Finished charge tasks of execution 3: waits of 1..5 s, run times of 10..50 s; the last one failed. A task
        -- cancelled before any claim has no run time and is not counted.
        INSERT INTO baton.tasks (execution_id, state_name, function_name, resource, status, idempotency_key, input, output,
                                 error, created_at, run_after, lease_owner, lease_token, started_at, finished_at)
        SELECT 3, 'Charge', 'charge', 'arn:r', CASE WHEN i = 5 THEN 'failed' ELSE 'succeeded' END, 'f' || i, '{}',
               CASE WHEN i = 5 THEN NULL ELSE '{}' END, CASE WHEN i = 5 THEN 'Declined' END,
               timestamptz '2026-01-01 00:00:00+00', timestamptz '2026-01-01 00:00:00+00', 'w1', gen_random_uuid(),
               timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => i),
               timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => i + 10 * i)
        FROM generate_series(1, 5) AS i;
        INSERT INTO baton.tasks (execution_id, state_name, function_name, resource, status, idempotency_key, input, finished_at)
        VALUES (3, 'Charge', 'charge', 'arn:r', 'cancelled', 'c1', '{}', now());
        -- A Wait timer not yet due (open, not stuck) and a retry timer a minute overdue (stuck).
        INSERT INTO baton.timers (execution_id, fan_out_item_id, state_name, kind, due_at) VALUES
            (2, 1, 'Pause', 'wait', now() + interval '30 seconds'),
            (1, NULL, 'Charge', 'retry', now() - interval '60 seconds');
        -- An inbox row two minutes old (stuck) and a fresh one (not).
        INSERT INTO baton.inbox (execution_id, kind, available_at, created_at) VALUES
            (1, 'stop_requested', now() - interval '120 seconds', now() - interval '120 seconds'),
            (2, 'execution_started', now(), now());
        """

    /// A migrated database holding `fixture`.
    static func withFixture(_ name: String, _ body: (PostgresConnection) async throws -> Void) async throws {
        let database = try await SchemaTestDatabase.create("monitor_\(name)")
        try await SchemaTestDatabase.withConnection(database) { connection in
            try await Migrator().migrate(connection)
            try await connection.simpleQuery(fixture)
            try await body(connection)
        }
    }

    @Test func everyViewAndColumnIsCommented() async throws {
        try await Self.withFixture("comments") { connection in
            let views = try await connection.query(
                """
                SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'baton' AND c.relkind = 'v'
                ORDER BY c.relname
                """)
            #expect(try views.map { try $0.decode(0, as: String.self) } == [
                "executions_by_status", "queue_depth", "recent_failures", "running_executions", "stuck_work",
                "task_latency", "worker_fleet",
            ])
            for row in views {
                let view = try row.decode(0, as: String.self)
                #expect(try row.decode(1, as: String.self).isEmpty == false, "view baton.\(view) has no COMMENT")
            }
            let uncommented = try await connection.query(
                """
                SELECT c.relname || '.' || a.attname FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'baton' AND c.relkind = 'v' AND a.attnum > 0
                  AND coalesce(col_description(c.oid, a.attnum), '') = ''
                """)
            #expect(try uncommented.map { try $0.decode(0, as: String.self) } == [])
        }
    }

    @Test func queueDepthCountsReadyScheduledAndRunningPerFunction() async throws {
        try await Self.withFixture("queue_depth") { connection in
            let rows = try await connection.query(
                "SELECT * FROM baton.queue_depth ORDER BY function_name")
            #expect(rows.count == 2)
            let charge = try #require(rows.first)
            #expect(try charge.decode("function_name", as: String.self) == "charge")
            #expect(try charge.decode("ready", as: Int64.self) == 2)
            #expect(try charge.decode("scheduled", as: Int64.self) == 1)
            #expect(try charge.decode("running", as: Int64.self) == 1)
            let oldest = try charge.decode("oldest_wait_seconds", as: Double.self)
            #expect(oldest >= 40 && oldest < 100, "oldest ready task was created 40 s ago, got \(oldest)")
            #expect(try charge.decode("workers_alive", as: Int64.self) == 1)

            let ship = rows[1]
            #expect(try ship.decode("function_name", as: String.self) == "ship")
            #expect(try ship.decode("ready", as: Int64.self) == 0)
            #expect(try ship.decode("scheduled", as: Int64.self) == 0)
            #expect(try ship.decode("running", as: Int64.self) == 1)
            #expect(try ship.decode("oldest_wait_seconds", as: Double?.self) == nil)
            // w2 serves ship but has not heartbeat for 90 s.
            #expect(try ship.decode("workers_alive", as: Int64.self) == 0)
        }
    }

    @Test func executionsByStatusCountsPerStateMachine() async throws {
        try await Self.withFixture("by_status") { connection in
            let rows = try await connection.query(
                "SELECT state_machine, status, executions FROM baton.executions_by_status ORDER BY state_machine, status")
            let counts = try rows.map { row -> String in
                let machine = try row.decode(0, as: String.self), status = try row.decode(1, as: String.self)
                return "\(machine) \(status) \(try row.decode(2, as: Int64.self))"
            }
            #expect(counts == [
                "billing ABORTED 1", "orders FAILED 1", "orders RUNNING 2", "orders SUCCEEDED 1", "orders TIMED_OUT 1",
            ])
        }
    }

    @Test func runningExecutionsShowTheirCurrentAndOpenStates() async throws {
        try await Self.withFixture("running") { connection in
            let rows = try await connection.query(
                """
                SELECT execution_id, execution_name, state_machine, current_state, waiting_for, open_states::text,
                       open_tasks, extract(epoch FROM running_for)::float8 AS running_seconds, execution_arn
                FROM baton.running_executions ORDER BY execution_id
                """)
            #expect(rows.count == 2)
            let charging = try #require(rows.first)
            #expect(try charging.decode("execution_id", as: Int64.self) == 1)
            #expect(try charging.decode("execution_name", as: String.self) == "charging")
            #expect(try charging.decode("state_machine", as: String.self) == "orders")
            #expect(try charging.decode("current_state", as: String?.self) == "Charge")
            #expect(try charging.decode("waiting_for", as: String?.self) == "awaitingTask")
            #expect(try charging.decode("open_states", as: String.self) == "{Charge}")
            #expect(try charging.decode("open_tasks", as: Int64.self) == 4)
            let runningFor = try charging.decode("running_seconds", as: Double.self)
            #expect(runningFor >= 120 && runningFor < 180)
            #expect(try charging.decode("execution_arn", as: String.self) == "arn:e:1")

            // No interpreter state yet: the open work (a Map, a task in one of its items, a Wait timer) still
            // says where the execution is.
            let mapping = rows[1]
            #expect(try mapping.decode("execution_id", as: Int64.self) == 2)
            #expect(try mapping.decode("current_state", as: String?.self) == nil)
            #expect(try mapping.decode("waiting_for", as: String?.self) == nil)
            #expect(try mapping.decode("open_states", as: String.self) == "{Pause,ProcessItems,Ship}")
            #expect(try mapping.decode("open_tasks", as: Int64.self) == 1)
        }
    }

    @Test func recentFailuresListFailedTimedOutAndAbortedNewestFirst() async throws {
        try await Self.withFixture("failures") { connection in
            let rows = try await connection.query(
                "SELECT execution_name, state_machine, status, error, cause FROM baton.recent_failures")
            let listed = try rows.map {
                [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self),
                 try $0.decode(3, as: String?.self) ?? "-", try $0.decode(4, as: String?.self) ?? "-"]
            }
            #expect(listed == [
                ["stopped", "billing", "ABORTED", "Operator", "stopped by hand"],
                ["slow", "orders", "TIMED_OUT", "States.Timeout", "-"],
                ["broke", "orders", "FAILED", "States.TaskFailed", "card declined"],
            ])
        }
    }

    @Test func workerFleetDerivesLivenessFromTheHeartbeat() async throws {
        try await Self.withFixture("fleet") { connection in
            let rows = try await connection.query(
                """
                SELECT worker_id, kind, status, host, pid, functions::text, tasks_in_flight, concurrency,
                       seconds_since_heartbeat
                FROM baton.worker_fleet ORDER BY worker_id
                """)
            var listed: [String] = []
            for row in rows {
                let fields: [String] = [
                    try row.decode(0, as: String.self), try row.decode(1, as: String.self),
                    try row.decode(2, as: String.self), try row.decode(3, as: String.self),
                    String(try row.decode(4, as: Int.self)), try row.decode(5, as: String.self),
                    "\(try row.decode(6, as: Int.self))/\(try row.decode(7, as: Int.self))",
                ]
                listed.append(fields.joined(separator: " "))
            }
            #expect(listed == [
                "c1 coordinator stopped alpha 303 {} 0/1",
                "w1 worker alive alpha 101 {charge} 1/4",
                // Registered as running, but silent for 90 s: lost.
                "w2 worker lost beta 202 {ship} 1/2",
            ])
            let w1Age = try rows[1].decode("seconds_since_heartbeat", as: Double.self)
            #expect(w1Age >= 2 && w1Age < 30)
        }
    }

    @Test func taskLatencyGivesPercentilesOfWaitAndRunTime() async throws {
        try await Self.withFixture("latency") { connection in
            let rows = try await connection.query("SELECT * FROM baton.task_latency")
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode("state_machine", as: String.self) == "orders")
            #expect(try row.decode("state_name", as: String.self) == "Charge")
            #expect(try row.decode("function_name", as: String.self) == "charge")
            // The cancelled task never ran and the open ones have not finished: only the five finished count.
            #expect(try row.decode("tasks", as: Int64.self) == 5)
            #expect(try row.decode("failed", as: Int64.self) == 1)
            // Waits 1..5 s and run times 10..50 s, interpolated as percentile_cont does.
            let expected: [(String, String)] = [
                ("wait_p50_seconds", "3"), ("wait_p95_seconds", "4.8"), ("wait_p99_seconds", "4.96"),
                ("run_p50_seconds", "30"), ("run_p95_seconds", "48"), ("run_p99_seconds", "49.6"),
            ]
            for (column, value) in expected {
                #expect(try row.decode(column, as: Decimal.self) == Decimal(string: value), "\(column)")
            }
        }
    }

    @Test func stuckWorkFindsExpiredLeasesOverdueTimersAndOldInboxRows() async throws {
        try await Self.withFixture("stuck") { connection in
            let rows = try await connection.query(
                """
                SELECT problem, execution_id, state_name, function_name, task_id, timer_id, inbox_id, worker_id,
                       overdue_seconds
                FROM baton.stuck_work ORDER BY problem
                """)
            let listed = try rows.map {
                [try $0.decode(0, as: String.self), String(try $0.decode(1, as: Int64.self)),
                 try $0.decode(2, as: String?.self) ?? "-", try $0.decode(3, as: String?.self) ?? "-",
                 try $0.decode(4, as: Int64?.self).map { String($0) } ?? "-",
                 try $0.decode(5, as: Int64?.self).map { String($0) } ?? "-",
                 try $0.decode(6, as: Int64?.self).map { String($0) } ?? "-",
                 try $0.decode(7, as: String?.self) ?? "-"]
            }
            // Not listed: the healthy running task on w1, the Wait timer not yet due, the fresh inbox row.
            #expect(listed == [
                ["inbox row not picked up (stop_requested)", "1", "-", "-", "-", "-", "1", "-"],
                ["task lease expired", "2", "Ship", "ship", "5", "-", "-", "w2"],
                ["timer overdue (retry)", "1", "Charge", "-", "-", "2", "-", "-"],
            ])
            let overdue = try rows.map { try $0.decode("overdue_seconds", as: Double.self) }
            #expect(overdue.count == 3)
            #expect(overdue.allSatisfy { $0 >= 60 && $0 < 200 }, "\(overdue)")
        }
    }
}
