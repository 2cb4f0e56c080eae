// The coordinator applies a batch of executions together; when the batch fails, it is rolled back to its
// savepoint and applied again one execution at a time, so one execution the engine cannot advance (here: its
// stored state is not valid JSON) fails alone with States.Runtime and the others of its batch go on. A deadlock
// fails no execution: the batch is applied again.
import BatonEngine
import BatonJSON
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

@Suite struct BatchFallbackTests {
    /// Three executions waiting for their task (no coordinator running); `beforeResults` runs, then all three
    /// tasks get their results together, so that the next coordinator applies them in one batch.
    static func threeResultsTogether(_ h: EngineHarness, beforeResults: ([ExecutionDescription]) async throws -> Void)
        async throws -> [ExecutionDescription] {
        try await h.createMachine("one", #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:manual","End":true}}}"#)
        let coordinator = h.startCoordinator()
        var started: [ExecutionDescription] = []
        for n in 0..<3 { started.append(try await h.executions.start(stateMachine: "one", input: ["n": .int(n)], on: h.connection)) }
        try await waitUntil("three tasks queued", timeout: .seconds(30)) {
            try await h.count("SELECT count(*) FROM baton.tasks WHERE status = 'available'") == 3
        }
        await stop(coordinator)
        try await beforeResults(started)
        let queue = TaskQueue()
        let tasks = try await queue.claim(functionName: "manual", workerID: "test", limit: 3, leaseSeconds: 60, on: h.connection)
        #expect(tasks.count == 3)
        let outcomes = try await queue.complete(tasks.map { ($0.id, $0.leaseToken, TaskOutcome.succeeded(output: $0.input)) },
                                                on: h.connection)
        #expect(outcomes.allSatisfy { if case .recorded = $0 { true } else { false } })
        return started
    }

    @Test func aBadExecutionFailsAloneAndItsBatchGoesOn() async throws {
        let h = try await EngineHarness.make(suite: "EngineBatchFallback")
        defer { Task { await h.connection.close() } }
        // Before the results: break the middle execution's stored state.
        let started = try await Self.threeResultsTogether(h) { started in
            try await h.connection.execute("UPDATE baton.executions SET state = '{' WHERE arn = $1", [started[1].arn])
        }
        let broken = started[1]
        let coordinator = h.startCoordinator()
        for execution in started where execution.arn != broken.arn {
            let ended = try await h.waitForEnd(execution.arn)
            #expect(ended.status == "SUCCEEDED")
        }
        let failed = try await h.waitForEnd(broken.arn)
        #expect(failed.status == "FAILED" && failed.error == "States.Runtime")
        #expect(failed.cause?.contains("could not advance this execution") == true)
        #expect(try await h.historyTypes(broken.arn).last == "ExecutionFailed")
        #expect(try await h.count("SELECT count(*) FROM baton.inbox") == 0)
        await stop(coordinator)
    }

    /// A deadlock says nothing about the executions: when the batch, and then the first execution applied
    /// alone, die of one (a trigger raises SQLSTATE 40P01 on the first two history writes), the coordinator
    /// applies the batch again later and all three executions succeed; none is failed with States.Runtime.
    @Test func aDeadlockFailsNoExecution() async throws {
        let h = try await EngineHarness.make(suite: "EngineBatchDeadlock")
        defer { Task { await h.connection.close() } }
        let started = try await Self.threeResultsTogether(h) { _ in
            try await h.connection.simpleQuery("""
                CREATE SEQUENCE baton.history_writes;
                CREATE FUNCTION baton.deadlock_twice() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('baton.history_writes') <= 2 THEN
                        RAISE EXCEPTION 'deadlock detected (raised by the test)' USING ERRCODE = 'deadlock_detected';
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER deadlock_twice BEFORE INSERT ON baton.history_events
                    FOR EACH STATEMENT EXECUTE FUNCTION baton.deadlock_twice();
                """)
        }
        let coordinator = h.startCoordinator(poll: .milliseconds(200))
        for execution in started {
            let ended = try await h.waitForEnd(execution.arn)
            #expect(ended.status == "SUCCEEDED", "\(ended)")
        }
        #expect(try await h.count("SELECT last_value::int FROM baton.history_writes") >= 3, "the batch was applied again")
        await stop(coordinator)
    }
}
