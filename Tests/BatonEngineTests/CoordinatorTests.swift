import ASLCore
import BatonEngine
import BatonJSON
import BatonLocal
import BatonPostgres
import BatonTestSupport
import BatonWorker
import Foundation
import Testing

@Suite("Coordinator") struct CoordinatorTests {
    static let flow = """
        {"StartAt":"Init","States":{
          "Init":{"Type":"Pass","Parameters":{"n.$":"$.n","tag":"x","exec.$":"$$.Execution.Name"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":100,"Next":"Bare"},
            {"Variable":"$.n","NumericGreaterThan":5,"Next":"Big"}],"Default":"Pause"},
          "Pause":{"Type":"Wait","Seconds":1,"Next":"Small"},
          "Small":{"Type":"Pass","Result":"small","ResultPath":"$.size","End":true},
          "Big":{"Type":"Fail","Error":"TooBig","Cause":"n is over 5"},
          "Bare":{"Type":"Fail"}}}
        """

    /// The same definition and input give the same status, output, error and cause through the engine as
    /// through `baton run`'s local runner, and the same sequence of history event types.
    @Test func passChoiceWaitFailMatchesTheLocalRunner() async throws {
        let h = try await EngineHarness.make(suite: "EngineLocalParity")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("flow", Self.flow)
        let coordinator = h.startCoordinator()
        defer { coordinator.cancel() }
        let machine = try StateMachine(definition: try JSON(parsing: Self.flow))
        for (name, input) in [("small", ["n": 2] as JSON), ("big", ["n": 9] as JSON), ("bare", ["n": 500] as JSON)] {
            let execution = try await h.executions.start(stateMachine: "flow", input: input, name: name, on: h.connection)
            let ended = try await h.waitForEnd(execution.arn)
            let local = await LocalRunner(machine: machine, options: LocalRunOptions(
                fastTimers: true, stateMachineName: "flow", executionName: name, keepHistory: true)).run(input: input)
            #expect(ended.status == local.outcome.status, "\(name)")
            switch local.outcome {
            case .succeeded(let output):
                #expect(try JSON(parsing: ended.output ?? "null") == output)
                #expect(ended.output == output.serialized(), "key order is kept")
            case .failed(let failure), .timedOut(let failure), .aborted(let failure):
                #expect(ended.error == failure.error && ended.cause == failure.cause)
            }
            #expect(try await h.historyTypes(execution.arn) == local.history.map { $0.type })
        }
        // A Fail state without Error leaves the column NULL for SQL readers, not '' (migration 0007).
        #expect(try await h.count(
            "SELECT count(*) FROM baton.executions WHERE name = 'bare' AND status = 'FAILED' AND error IS NULL AND cause IS NULL") == 1)
        await stop(coordinator)
    }

    /// A chain of three Tasks served by an in-process worker succeeds; the worker saw each input once.
    @Test func taskChainWithAWorker() async throws {
        let h = try await EngineHarness.make(suite: "EngineTaskChain")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("chain", """
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:inc","Next":"B"},
              "B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"inc","Payload.$":"$"},
                   "ResultSelector":{"v.$":"$.Payload.v"},"Next":"C"},
              "C":{"Type":"Task","Resource":"baton:function:inc","End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("inc") { input, _ in ["v": .int((input["v"]?.intValue ?? 0) + 1)] }
        let execution = try await h.executions.start(stateMachine: "chain", input: ["v": 1], on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "SUCCEEDED")
        #expect(ended.output == #"{"v":4}"#)
        #expect(try await h.count("SELECT count(*) FROM baton.tasks WHERE status = 'succeeded'") == 3)
        let types = try await h.historyTypes(execution.arn)
        #expect(types.filter { $0 == "TaskSucceeded" || $0 == "LambdaFunctionSucceeded" }.count == 3)
        await stop(worker)
        await stop(coordinator)
    }

    /// A Wait timer and a Retry back-off timer are rows: they fire after the coordinator that set them is
    /// gone, in another coordinator.
    @Test func timersSurviveACoordinatorRestart() async throws {
        let h = try await EngineHarness.make(suite: "EngineTimersRestart")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("timers", """
            {"StartAt":"W","States":{
              "W":{"Type":"Wait","Seconds":2,"Next":"T"},
              "T":{"Type":"Task","Resource":"baton:function:flaky",
                   "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1}],"End":true}}}
            """)
        let attempts = LockedCounter()
        let worker = h.startWorker("flaky") { input, _ in
            if attempts.increment() == 1 { throw TaskFailure("Flaky", cause: "first attempt fails") }
            return input
        }
        var coordinator = h.startCoordinator()
        let execution = try await h.executions.start(stateMachine: "timers", input: ["k": "v"], on: h.connection)
        try await waitUntil("the Wait timer is set") {
            try await h.count("SELECT count(*) FROM baton.timers WHERE kind = 'wait' AND status = 'pending'") == 1
        }
        await stop(coordinator)
        coordinator = h.startCoordinator()
        try await waitUntil("the retry timer is set", timeout: .seconds(30)) {
            try await h.count("SELECT count(*) FROM baton.timers WHERE kind = 'retry'") == 1
        }
        await stop(coordinator)
        coordinator = h.startCoordinator()
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "SUCCEEDED")
        #expect(ended.output == #"{"k":"v"}"#)
        #expect(attempts.value == 2)
        // Each timer fired exactly once, no earlier than it was due.
        #expect(try await h.count("SELECT count(*) FROM baton.timers WHERE status = 'fired' AND fired_at >= due_at") == 2)
        let types = try await h.historyTypes(execution.arn)
        #expect(types.contains("WaitStateExited") && types.filter { $0 == "TaskScheduled" }.count == 2)
        await stop(worker)
        await stop(coordinator)
    }

    /// stop-execution aborts a waiting execution: ExecutionAborted in the history, its timer cancelled.
    @Test func stopExecution() async throws {
        let h = try await EngineHarness.make(suite: "EngineStop")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("sleepy", #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}"#)
        let coordinator = h.startCoordinator()
        let execution = try await h.executions.start(stateMachine: "sleepy", on: h.connection)
        try await waitUntil("the Wait timer is set") {
            try await h.count("SELECT count(*) FROM baton.timers WHERE status = 'pending'") == 1
        }
        try await h.executions.stop(execution.arn, error: "Operator", cause: "no longer needed", on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "ABORTED")
        #expect(ended.error == "Operator" && ended.cause == "no longer needed")
        #expect(try await h.historyTypes(execution.arn).last == "ExecutionAborted")
        #expect(try await h.count("SELECT count(*) FROM baton.timers WHERE status = 'cancelled'") == 1)
        await stop(coordinator)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
    func raise(to value: Int) { lock.withLock { count = max(count, value) } }
}
