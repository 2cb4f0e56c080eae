import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct TaskStateTests {
    func task(_ fields: String, extra: String = "") -> JSON {
        .parse(#"{"StartAt":"T","States":{"T":{"Type":"Task",\#(fields)}\#(extra)}}"#)
    }

    @Test(arguments: [
        ("arn:aws:lambda:us-east-1:123456789012:function:resize", "resize"),
        ("arn:aws:lambda:us-east-1:123456789012:function:resize:prod", "resize"),
        ("arn:aws:states:us-east-1:123456789012:activity:approve", "approve"),
        ("baton:function:send-mail", "send-mail"),
    ])
    func resourceNamesTheFunction(resource: String, function: String) throws {
        var driver = try TestDriver(task(#""Resource":"\#(resource)","End":true"#), input: ["x": 1])
        #expect(driver.run() == .succeeded(["x": 1]))
        #expect(driver.tasks.map(\.functionName) == [function])
    }

    @Test func lambdaInvokeTakesFunctionNameAndPayloadAndWrapsTheResult() throws {
        var driver = try TestDriver(task(#""Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:1:function:echo","Payload":{"v.$":"$.v"}},"End":true"#),
                                    input: ["v": 3])
        guard case .succeeded(let output) = driver.run() else { Issue.record("expected success"); return }
        #expect(driver.tasks.first?.functionName == "echo")
        #expect(driver.tasks.first?.input == ["v": 3])
        #expect(output["Payload"] == ["v": 3])
        #expect(output["StatusCode"] == 200)
        #expect(output["ExecutedVersion"] == "$LATEST")
        #expect(driver.eventTypes == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"])
    }

    @Test func lambdaArnUsesLambdaFunctionEvents() throws {
        var driver = try TestDriver(task(#""Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true"#))
        _ = driver.run()
        #expect(driver.eventTypes == ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"])
    }

    @Test func resultSelectorResultPathOutputPathApplyToTheResult() throws {
        var driver = try TestDriver(task(#""Resource":"baton:function:f","ResultSelector":{"r.$":"$.value"},"ResultPath":"$.res","OutputPath":"$.res","End":true"#),
                                    input: ["keep": true]) { .taskSucceeded(taskId: $0.id, output: ["value": 9, "noise": 1]) }
        #expect(driver.run() == .succeeded(["r": 9]))
    }

    @Test func timeoutsArePassedToTheDriver() throws {
        var driver = try TestDriver(task(#""Resource":"baton:function:f","TimeoutSecondsPath":"$.t","HeartbeatSeconds":3,"End":true"#), input: ["t": 10])
        _ = driver.run()
        #expect(driver.tasks.first?.timeoutSeconds == 10)
        #expect(driver.tasks.first?.heartbeatSeconds == 3)
    }

    @Test func timeoutFailureIsRecordedAsTimedOut() throws {
        var driver = try TestDriver(task(#""Resource":"baton:function:f","TimeoutSeconds":1,"End":true"#)) {
            .taskFailed(taskId: $0.id, failure: RunFailure(error: "States.Timeout", cause: nil))
        }
        #expect(driver.run() == .failed(RunFailure(error: "States.Timeout", cause: nil)))
        #expect(driver.eventTypes.contains("TaskTimedOut"))
    }

    @Test func staleTaskResultsAreIgnored() throws {
        let machine = try StateMachine(definition: task(#""Resource":"baton:function:f","End":true"#))
        let environment = RunEnvironment(machine: machine, execution: ExecutionContext(
            stateMachineName: "sm", executionName: "e", region: "r", account: "a", input: [:], startTime: Date()))
        var run = Run(block: .root, kind: .execution, input: [:])
        var last = 0
        let actions = run.start(in: environment, now: Date(), randomSeed: 1, lastEventId: &last)
        guard case .scheduleTask(let request)? = actions.first(where: { if case .scheduleTask = $0 { true } else { false } }) else {
            Issue.record("no task scheduled"); return
        }
        let stale = run.handle(.taskSucceeded(taskId: request.id + 7, output: 1), in: environment, now: Date(), randomSeed: 2, lastEventId: &last)
        #expect(stale.isEmpty)
        #expect(run.status == .running)
        let done = run.handle(.taskSucceeded(taskId: request.id, output: 1), in: environment, now: Date(), randomSeed: 3, lastEventId: &last)
        #expect(done.contains { if case .finished(.succeeded(1)) = $0 { true } else { false } })
    }

    @Test func aRunSurvivesEncodingMidFlight() throws {
        let machine = try StateMachine(definition: task(#""Resource":"baton:function:f","End":true"#))
        let environment = RunEnvironment(machine: machine, execution: ExecutionContext(
            stateMachineName: "sm", executionName: "e", region: "r", account: "a", input: ["k": "v"], startTime: Date()))
        var run = Run(block: .root, kind: .execution, input: ["k": "v"])
        var last = 0
        _ = run.start(in: environment, now: Date(), randomSeed: 1, lastEventId: &last)
        let data = try JSONEncoder().encode(run)
        var restored = try JSONDecoder().decode(Run.self, from: data)
        guard case .awaitingTask(let id) = restored.phase else { Issue.record("not waiting for a task"); return }
        let actions = restored.handle(.taskSucceeded(taskId: id, output: ["done": true]), in: environment, now: Date(), randomSeed: 2, lastEventId: &last)
        #expect(actions.contains { if case .finished(.succeeded(["done": true])) = $0 { true } else { false } })
    }
}
