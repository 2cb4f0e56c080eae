// Task timing through a real coordinator, worker and Postgres: TaskStarted is stamped with the claim time and
// enters the history while a long task runs (the worker announces it), or with the result of a quick one; and
// TimeoutSeconds counts from scheduling, so a task no worker ever claims still ends in States.Timeout, and its
// queue row is closed so a late result is refused.
import BatonEngine
import BatonJSON
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

/// Holds a task's handler until the test opens it.
actor Gate {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        open = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}

@Suite(.serialized) struct TaskTimingTests {
    /// Starts an execution of a one-Task machine of `function` and, once its task is queued, claims it by hand
    /// (no worker runs, so nobody announces it).
    private func startAndClaimByHand(_ h: EngineHarness, function: String) async throws -> (ExecutionDescription, ClaimedTask) {
        try await h.createMachine(function, #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:"# + function + #"","End":true}}}"#)
        let execution = try await h.executions.start(stateMachine: function, on: h.connection)
        try await waitUntil("the task is queued", timeout: .seconds(30)) {
            try await h.count("SELECT count(*) FROM baton.tasks WHERE execution_id = $1", [execution.id]) == 1
        }
        let task = try #require(try await TaskQueue().claim(functionName: function, workerID: "test", limit: 1,
                                                            leaseSeconds: 60, on: h.connection).first)
        return (execution, task)
    }

    /// How many TaskStarted events of the execution are stamped with its task's claim (to the millisecond: the
    /// event's time goes through the core as a Date).
    private func taskStartedStampedWithClaim(_ h: EngineHarness, _ execution: ExecutionDescription) async throws -> Int {
        try await h.count(
            """
            SELECT count(*) FROM baton.history_events h JOIN baton.tasks t ON t.execution_id = h.execution_id
            WHERE h.execution_id = $1 AND h.type = 'TaskStarted' AND abs(extract(epoch FROM h.occurred_at - t.started_at)) < 0.001
            """, [execution.id])
    }

    /// While the worker still holds the task, the history already says TaskStarted (the worker announced it
    /// after `startedAnnouncementDelay`), and nothing after it; once the result arrives, TaskSucceeded follows.
    @Test func aLongTasksStartIsAnnouncedWhileItRuns() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskStarted")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("held", #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:held","End":true}}}"#)
        let gate = Gate()
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("held") { input, _ in
            await gate.wait()
            return input
        }
        let execution = try await h.executions.start(stateMachine: "held", input: ["x": 1], on: h.connection)
        try await waitUntil("TaskStarted while the worker holds the task", timeout: .seconds(30), poll: .milliseconds(25)) {
            try await h.historyTypes(execution.arn).last == "TaskStarted"
        }
        #expect(try await h.count("SELECT count(*) FROM baton.tasks WHERE status = 'running'") == 1)
        #expect(try await h.historyTypes(execution.arn) == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted"])
        await gate.release()
        #expect(try await h.waitForEnd(execution.arn).status == "SUCCEEDED")
        #expect(try await h.historyTypes(execution.arn) == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "ExecutionSucceeded",
        ])
        await stop(worker)
        await stop(coordinator)
    }

    /// A task that finishes before the worker's announcement delay gets its TaskStarted with its result:
    /// once, before TaskSucceeded, stamped with the claim time (tasks.started_at), and no announcement.
    @Test func aQuickTaskGetsTaskStartedWithItsResult() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskStartedQuick")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("quick", #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:quick","End":true}}}"#)
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("quick") { input, _ in input }
        let execution = try await h.executions.start(stateMachine: "quick", input: ["x": 1], on: h.connection)
        #expect(try await h.waitForEnd(execution.arn).status == "SUCCEEDED")
        #expect(try await h.historyTypes(execution.arn) == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
            "ExecutionSucceeded",
        ])
        #expect(try await taskStartedStampedWithClaim(h, execution) == 1)
        await stop(worker)
        await stop(coordinator)
    }

    /// An announcement is fenced like a result: a task that is not running under that lease is not announced,
    /// and announcing a running task twice gives one TaskStarted.
    @Test func announcementsAreFencedAndIdempotent() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskStartedFence")
        defer { Task { await h.connection.close() } }
        let coordinator = h.startCoordinator()
        let (execution, task) = try await startAndClaimByHand(h, function: "manual")
        let queue = TaskQueue()
        #expect(try await queue.announceStarted([(task.id, UUID())], on: h.connection) == 0)
        #expect(try await queue.announceStarted([(task.id, task.leaseToken)], on: h.connection) == 1)
        #expect(try await queue.announceStarted([(task.id, task.leaseToken)], on: h.connection) == 1)
        try await waitUntil("TaskStarted", timeout: .seconds(30)) {
            try await h.historyTypes(execution.arn).last == "TaskStarted"
        }
        try await queue.complete(taskID: task.id, leaseToken: task.leaseToken, outcome: .succeeded(output: "{}"), on: h.connection)
        #expect(try await h.waitForEnd(execution.arn).status == "SUCCEEDED")
        #expect(try await h.historyTypes(execution.arn).filter { $0 == "TaskStarted" }.count == 1)
        #expect(try await queue.announceStarted([(task.id, task.leaseToken)], on: h.connection) == 0)  // finished
        await stop(coordinator)
    }

    /// Stopped while a worker holds a task it has not announced yet: the history still has the task's
    /// TaskStarted (stamped with the claim) before ExecutionAborted.
    @Test func aStopRecordsTheStartOfAClaimedTask() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskStartedStop")
        defer { Task { await h.connection.close() } }
        let coordinator = h.startCoordinator()
        let (execution, _) = try await startAndClaimByHand(h, function: "held")
        try await h.executions.stop(execution.arn, on: h.connection)
        #expect(try await h.waitForEnd(execution.arn).status == "ABORTED")
        #expect(Array(try await h.historyTypes(execution.arn).suffix(3)) == ["TaskScheduled", "TaskStarted", "ExecutionAborted"])
        #expect(try await taskStartedStampedWithClaim(h, execution) == 1)
        await stop(coordinator)
    }

    /// No worker serves the function: TimeoutSeconds still ends the task with States.Timeout (through Catch),
    /// the row is failed, and a result for it that arrives late is rejected.
    @Test func anUnclaimedTaskTimesOut() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskTimeoutUnclaimed")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("lonely", """
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"baton:function:nobody","TimeoutSeconds":1,
                   "Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":"$.timedOut","Next":"Done"}],"End":true},
              "Done":{"Type":"Pass","End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let execution = try await h.executions.start(stateMachine: "lonely", on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "SUCCEEDED")
        let output = try #require(ended.output)
        #expect(try JSON(parsing: output)["timedOut"]?["Error"] == "States.Timeout")
        let types = try await h.historyTypes(execution.arn)
        #expect(types.contains("TaskTimedOut") && !types.contains("TaskStarted"))
        let rows = try await h.connection.query("SELECT id, status, error FROM baton.tasks WHERE execution_id = $1", [execution.id])
        let taskId = try rows[0].decode(0, as: Int64.self)
        #expect(try rows[0].decode(1, as: String.self) == "failed" && rows[0].decode(2, as: String?.self) == "States.Timeout")
        // A worker that claimed nothing cannot record a result now: the fence refuses it.
        let late = try await TaskQueue().complete(taskID: taskId, leaseToken: UUID(), outcome: .succeeded(output: "{}"), on: h.connection)
        #expect(late == .rejected(currentStatus: "failed"))
        await stop(coordinator)
    }

    /// A claimed task whose worker runs past TimeoutSeconds fails with States.Timeout and the history has
    /// TaskStarted then TaskTimedOut; the worker's late result changes nothing.
    @Test func aClaimedTaskTimesOutFromScheduling() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskTimeoutClaimed")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("slow", #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:slow","TimeoutSeconds":1,"End":true}}}"#)
        let gate = Gate()
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("slow") { input, _ in
            await gate.wait()
            return input
        }
        let execution = try await h.executions.start(stateMachine: "slow", on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "FAILED" && ended.error == "States.Timeout")
        let types = try await h.historyTypes(execution.arn)
        #expect(Array(types.suffix(3)) == ["TaskStarted", "TaskTimedOut", "ExecutionFailed"])
        await gate.release()
        await stop(worker)
        await stop(coordinator)
    }
}
