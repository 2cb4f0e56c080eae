// The coordinator applies a batch of executions together; when the batch fails, it is rolled back to its
// savepoint and applied again one execution at a time, so one execution the engine cannot advance (here: its
// stored state is not valid JSON) fails alone with States.Runtime and the others of its batch go on.
import BatonEngine
import BatonJSON
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

@Suite struct BatchFallbackTests {
    @Test func aBadExecutionFailsAloneAndItsBatchGoesOn() async throws {
        let h = try await EngineHarness.make(suite: "EngineBatchFallback")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("one", #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:manual","End":true}}}"#)
        // Three executions each wait for their task.
        var coordinator = h.startCoordinator()
        var started: [ExecutionDescription] = []
        for n in 0..<3 { started.append(try await h.executions.start(stateMachine: "one", input: ["n": .int(n)], on: h.connection)) }
        try await waitUntil("three tasks queued", timeout: .seconds(30)) {
            try await h.count("SELECT count(*) FROM baton.tasks WHERE status = 'available'") == 3
        }
        await stop(coordinator)
        // With no coordinator running: break the middle execution's stored state, and finish all three tasks, so
        // that the next coordinator finds the three results together.
        let broken = started[1]
        try await h.connection.execute("UPDATE baton.executions SET state = '{' WHERE arn = $1", [broken.arn])
        let queue = TaskQueue()
        let tasks = try await queue.claim(functionName: "manual", workerID: "test", limit: 3, leaseSeconds: 60, on: h.connection)
        #expect(tasks.count == 3)
        let outcomes = try await queue.complete(tasks.map { ($0.id, $0.leaseToken, TaskOutcome.succeeded(output: $0.input)) },
                                                on: h.connection)
        #expect(outcomes.allSatisfy { if case .recorded = $0 { true } else { false } })
        coordinator = h.startCoordinator()
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
}
