// `.waitForTaskToken` through the engine: the function runs and hands the token on; the state ends only with
// the token (SendTaskSuccess/Failure through CallbackStore, as the API server does), once; heartbeats keep the
// wait alive; TimeoutSeconds and HeartbeatSeconds end it with States.Timeout / States.HeartbeatTimeout through
// Catch; a failing function ends it at once.
import ASLCore
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonQueue
import BatonTestSupport
import BatonWorker
import Foundation
import Testing

/// Values a test's worker closure records.
final class Recorded<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
    var current: Value { lock.withLock { value } }
}

@Suite("Callbacks", .serialized) struct CallbackTests {
    /// Starts `machine` with `input`, waits for its function to have received a token, and returns both.
    static func startAndTakeToken(_ h: EngineHarness, machine: String, input: JSON, tokens: Recorded<[String]>,
                                  already: Int) async throws -> (ExecutionDescription, String) {
        let execution = try await h.executions.start(stateMachine: machine, input: input, on: h.connection)
        try await waitUntil("the function to receive a token", timeout: .seconds(30)) { tokens.current.count > already }
        // TaskStarted is recorded once the function's own result is applied; the state still waits.
        try await waitUntil("TaskStarted", timeout: .seconds(30)) { try await h.historyTypes(execution.arn).contains("TaskStarted") }
        return (execution, tokens.current[already])
    }

    @Test func aTokenCompletesTheStateOnceAndOnlyItsOwnExecution() async throws {
        let h = try await EngineHarness.make(suite: "EngineCallbacks")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("callback", """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                     "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token","n.$":"$.n"}},"End":true}}}
            """)
        let tokens = Recorded<[String]>([])
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("notify") { input, _ in
            tokens.update { $0.append(input["token"]?.stringValue ?? "") }
            return ["ignored": true]  // the function's own result does not end the state
        }
        let store = CallbackStore()
        let (execution, token) = try await Self.startAndTakeToken(h, machine: "callback", input: ["n": 1], tokens: tokens, already: 0)
        #expect(token.hasPrefix(CallbackToken.prefix) && token.count > CallbackToken.prefix.count + 40)
        #expect(try await h.executions.describe(execution.arn, on: h.connection)?.status == "RUNNING")

        #expect(try await store.complete(token: CallbackToken.prefix + "0123", outcome: .succeeded(output: "{}"), on: h.connection) == .unknown)
        #expect(try await store.complete(token: token, outcome: .succeeded(output: #"{"approved":true}"#), on: h.connection) == .recorded)
        #expect(try await store.complete(token: token, outcome: .succeeded(output: "{}"), on: h.connection) == .closed)
        #expect(try await store.heartbeat(token: token, on: h.connection) == .closed)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "SUCCEEDED")
        #expect(ended.output == #"{"approved":true}"#, "the callback output as sent, without Lambda's envelope")
        let types = try await h.historyTypes(execution.arn)
        #expect(types.filter { $0 == "TaskStarted" }.count == 1 && types.contains("TaskSucceeded"))

        // A second execution's token is its own: each run gets a different one.
        let (second, other) = try await Self.startAndTakeToken(h, machine: "callback", input: ["n": 2], tokens: tokens, already: 1)
        #expect(other != token)
        #expect(try await store.complete(token: other, outcome: .failed(error: "Rejected", cause: "no"), on: h.connection) == .recorded)
        let failed = try await h.waitForEnd(second.arn)
        #expect(failed.status == "FAILED" && failed.error == "Rejected" && failed.cause == "no")
        await stop(worker)
        await stop(coordinator)
    }

    @Test func heartbeatsKeepTheWaitAliveAndTimeoutsEndItThroughCatch() async throws {
        let h = try await EngineHarness.make(suite: "EngineCallbackTimeouts")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("beats", """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"baton:function:notify.waitForTaskToken","HeartbeatSeconds":4,
                     "Parameters":{"token.$":"$$.Task.Token"},
                     "Catch":[{"ErrorEquals":["States.HeartbeatTimeout","States.Timeout"],"ResultPath":"$.error","Next":"Caught"}],
                     "End":true},
              "Caught":{"Type":"Pass","End":true}}}
            """)
        try await h.createMachine("deadline", """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"baton:function:notify.waitForTaskToken","TimeoutSeconds":1,
                     "Parameters":{"token.$":"$$.Task.Token"},"End":true}}}
            """)
        let tokens = Recorded<[String]>([])
        let coordinator = h.startCoordinator(poll: .milliseconds(200))
        let worker = h.startWorker("notify") { input, _ in
            tokens.update { $0.append(input["token"]?.stringValue ?? "") }
            return .null
        }
        let store = CallbackStore()

        // Heartbeats every half second for six seconds (longer than HeartbeatSeconds, which counts from
        // scheduling: 4 s leave room for a loaded machine to deliver the token): the state keeps waiting.
        let (beating, token) = try await Self.startAndTakeToken(h, machine: "beats", input: [:], tokens: tokens, already: 0)
        let clock = ContinuousClock()
        let until = clock.now.advanced(by: .seconds(6))
        while clock.now < until {
            #expect(try await store.heartbeat(token: token, on: h.connection) == .recorded)
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(try await h.executions.describe(beating.arn, on: h.connection)?.status == "RUNNING")
        // Then silence: HeartbeatSeconds later the wait ends with States.HeartbeatTimeout, caught.
        let caught = try await h.waitForEnd(beating.arn, timeout: .seconds(30))
        #expect(caught.status == "SUCCEEDED")
        #expect(try JSON(parsing: caught.output ?? "null")["error"]?["Error"]?.stringValue == "States.HeartbeatTimeout")
        #expect(try await h.historyTypes(beating.arn).contains("TaskTimedOut"))
        #expect(try await store.complete(token: token, outcome: .succeeded(output: "{}"), on: h.connection) == .closed)

        // TimeoutSeconds counts from scheduling and is not extended by anything: States.Timeout.
        let (late, lateToken) = try await Self.startAndTakeToken(h, machine: "deadline", input: [:], tokens: tokens, already: 1)
        let timedOut = try await h.waitForEnd(late.arn, timeout: .seconds(30))
        #expect(timedOut.status == "FAILED" && timedOut.error == "States.Timeout")
        #expect(try await store.complete(token: lateToken, outcome: .succeeded(output: "{}"), on: h.connection) == .closed)
        await stop(worker)
        await stop(coordinator)
    }

    @Test func aFailingFunctionEndsTheWait() async throws {
        let h = try await EngineHarness.make(suite: "EngineCallbackFunctionFails")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("fails", """
            {"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"baton:function:broken.waitForTaskToken",
                     "Parameters":{"token.$":"$$.Task.Token"},"End":true}}}
            """)
        let tokens = Recorded<[String]>([])
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("broken") { input, _ in
            tokens.update { $0.append(input["token"]?.stringValue ?? "") }
            throw TaskFailure("SendFailed", cause: "the queue is down")
        }
        let execution = try await h.executions.start(stateMachine: "fails", on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        #expect(ended.status == "FAILED" && ended.error == "SendFailed")
        let token = try #require(tokens.current.first)
        #expect(try await CallbackStore().complete(token: token, outcome: .succeeded(output: "{}"), on: h.connection) == .closed)
        await stop(worker)
        await stop(coordinator)
    }
}
