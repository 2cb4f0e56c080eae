// The hand-written run text (RunText.swift) must be exactly what the Codable conformance writes through
// JSONTextEncoder, for runs in every phase and kind, with and without a pending task's optional fields and
// variables, and with text that needs escaping. Runs are made by decoding texts that cover those cases.
import ASLCore
@testable import BatonEngine
import BatonJSON
import Foundation
import Testing

@Suite struct RunTextTests {
    private static let kinds = [
        #"{"execution":{}}"#, #"{"parallelBranch":{"index":2}}"#,
        #"{"mapIteration":{"index":0,"mapState":"Map \"users\" ∑"}}"#, #"{"distributedItem":{"index":41,"mapState":"M"}}"#,
    ]
    private static let phases = [
        #"{"created":{}}"#, #"{"awaitingTask":{"id":3}}"#, #"{"waiting":{"timerId":7}}"#,
        #"{"retryBackoff":{"timerId":9}}"#, #"{"awaitingChildren":{}}"#, #"{"finished":{}}"#,
    ]
    private static let tasks: [String?] = [
        nil,
        #"{"id":3,"stateName":"Call","resource":"baton:function:f","invocation":"batonFunction","functionName":"f","input":"{\"a\":1}","attempt":0}"#,
        #"{"id":4,"stateName":"Wait for \"token\"","resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","invocation":"lambdaInvoke","functionName":"g","input":"[1,2.5,\"x\\ny\"]","timeoutSeconds":30,"heartbeatSeconds":5,"attempt":2,"taskToken":"tok/+=","started":true}"#,
        #"{"id":5,"stateName":"S","resource":"r","invocation":"activity","functionName":"h","input":"null","attempt":1,"started":false}"#,
    ]
    private static let variables = ["null", #""{\"count\":3,\"name\":\"ü\\\"q\\\"\"}""#]

    private func text(kind: String, phase: String, task: String?, variables: String, time: String, retries: String) -> String {
        var text = #"{"block":"/States/Map/ItemProcessor","kind":\#(kind),"input":"{\"i\":0,\"s\":\"tab\\t\"}","status":"RUNNING","#
        text += #""phase":\#(phase),"stateName":"Step \"1\"","stateInput":"{\"i\":0}","effectiveInput":"\"x\"","#
        text += #""enteredTime":\#(time),"enteredEventId":12,"retryCounts":\#(retries),"stateRetryCount":1,"#
        text += #""lastEventId":17,"nextActionId":4"#
        if let task { text += #","pendingTask":\#(task)"# }
        text += #","storedVariables":\#(variables)}"#
        return text
    }

    @Test func theHandWrittenTextIsTheCodableText() throws {
        var checked = 0
        for kind in Self.kinds {
            for phase in Self.phases {
                for task in Self.tasks {
                    for variables in Self.variables {
                        for (time, retries) in [("817564974.4749914", "[]"), ("817564974", "[0,3]"), ("-12.5", "[1]")] {
                            let run = try RunCoding.decode(
                                Run.self, from: text(kind: kind, phase: phase, task: task, variables: variables,
                                                     time: time, retries: retries))
                            let reference = try JSONTextEncoder().encodeToString(run)
                            #expect(RunText.encode(run) == reference)
                            #expect(try RunCoding.encode(run) == reference)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 4 * 6 * 4 * 2 * 3)
    }

    @Test func aFreshRunAndAStartedOneToo() throws {
        var run = Run(block: .root, kind: .execution, input: ["n": 1, "list": [true, .null, 2.5]])
        #expect(RunText.encode(run) == (try JSONTextEncoder().encodeToString(run)))
        let machine = try StateMachine(definition: JSON(parsing: #"""
            {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "baton:function:f", "TimeoutSeconds": 9,
             "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}}}
            """#))
        let environment = RunEnvironment(machine: machine, execution: ExecutionContext(
            stateMachineName: "sm", executionName: "e", region: "r", account: "a", input: ["n": 1],
            startTime: Date(timeIntervalSince1970: 1_700_000_000.5)))
        var lastEventId = 0
        _ = run.start(in: environment, now: Date(timeIntervalSince1970: 1_700_000_000.25), randomSeed: 1,
                      lastEventId: &lastEventId)
        #expect(run.pendingTask != nil)
        #expect(RunText.encode(run) == (try JSONTextEncoder().encodeToString(run)))
    }
}
