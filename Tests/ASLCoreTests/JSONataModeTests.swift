// JSONata mode in the core: each field kind, `$states` and where its members exist, the query language
// override, and `States.QueryEvaluationError` through the ordinary Retry/Catch path.
import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct JSONataModeTests {
    /// A JSONata-mode definition with these states, starting at the first name given.
    func machine(_ states: String, startAt: String = "A") -> JSON {
        .parse(#"{"QueryLanguage":"JSONata","StartAt":"\#(startAt)","States":{\#(states)}}"#)
    }

    func cause(_ outcome: RunOutcome) -> String? {
        if case .failed(let failure) = outcome { return failure.cause }
        return nil
    }

    func error(_ outcome: RunOutcome) -> String? {
        if case .failed(let failure) = outcome { return failure.error }
        return nil
    }

    @Test func outputEvaluatesExpressionsAnywhereInside() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Output":{"sum":"{% $states.input.a + 1 %}","list":["{% $uppercase('x') %}",2],"text":"plain"},"End":true}"#),
                                    input: ["a": 41])
        #expect(driver.run() == .succeeded(.parse(#"{"sum":42,"list":["X",2],"text":"plain"}"#)))
    }

    @Test func withoutOutputAPassPassesItsInput() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed","Output":"{% $states.input.v %}"}"#),
                                    input: ["v": "kept"])
        #expect(driver.run() == .succeeded("kept"))
    }

    @Test func assignSeesTheValuesFromBeforeTheState() throws {
        let states = #"""
            "A":{"Type":"Pass","Assign":{"n":1},"Next":"B"},
            "B":{"Type":"Pass","Assign":{"n":"{% $n + 1 %}","old":"{% $n %}"},"Output":{"n":"{% $n %}"},"Next":"C"},
            "C":{"Type":"Pass","Output":{"n":"{% $n %}","old":"{% $old %}","before":"{% $states.input.n %}"},"End":true}
            """#
        var driver = try TestDriver(machine(states))
        #expect(driver.run() == .succeeded(.parse(#"{"n":2,"old":1,"before":1}"#)))
    }

    @Test func undefinedResultIsAQueryEvaluationError() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Output":{"result":"{% $doesNotExist %}"},"End":true}"#))
        let outcome = driver.run()
        #expect(error(outcome) == "States.QueryEvaluationError")
        #expect(cause(outcome) == "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).")
        #expect(driver.eventTypes == ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"])
    }

    @Test func evaluationErrorsCarryJSONataCodeAndMessage() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Output":"{% $nope(1) %}","End":true}"#))
        #expect(cause(driver.run())?.hasSuffix("The JSONata expression '$nope(1)' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function") == true)
    }

    @Test func statesResultExistsOnlyWithAResult() throws {
        var pass = try TestDriver(machine(#""A":{"Type":"Pass","Output":"{% $states.result %}","End":true}"#))
        #expect(error(pass.run()) == "States.QueryEvaluationError")
        var task = try TestDriver(machine(#""A":{"Type":"Task","Resource":"baton:function:f","Arguments":{"x":"{% $states.input.x %}"},"Output":{"r":"{% $states.result %}","in":"{% $states.input %}"},"End":true}"#),
                                  input: ["x": 5, "y": 6])
        #expect(task.run() == .succeeded(.parse(#"{"r":{"x":5},"in":{"x":5,"y":6}}"#)))
        #expect(task.tasks.first?.input == ["x": 5])
    }

    @Test func contextIsAvailable() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Output":{"name":"{% $states.context.State.Name %}","exec":"{% $states.context.Execution.Name %}"},"End":true}"#))
        #expect(driver.run() == .succeeded(["name": "A", "exec": "exec"]))
    }

    @Test func taskNumbersFromExpressions() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Task","Resource":"baton:function:f","TimeoutSeconds":"{% $states.input.t %}","HeartbeatSeconds":"{% 5 %}","End":true}"#),
                                    input: ["t": 30])
        _ = driver.run()
        #expect(driver.tasks.first?.timeoutSeconds == 30)
        #expect(driver.tasks.first?.heartbeatSeconds == 5)
    }

    @Test func failStateErrorAndCause() throws {
        var driver = try TestDriver(machine(#""A":{"Type":"Fail","Error":"{% 'E.' & $states.input.kind %}","Cause":"{% $string($states.input.n) %}"}"#),
                                    input: ["kind": "Bad", "n": 3])
        #expect(driver.run() == .failed(RunFailure(error: "E.Bad", cause: "3")))
    }

    @Test func choiceConditionsRuleOutputAndAssign() throws {
        let states = #"""
            "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Next":"Big","Output":{"big":true},"Assign":{"which":"rule"}}],
                 "Default":"Small","Assign":{"which":"state","seen":true}},
            "Big":{"Type":"Pass","Output":{"in":"{% $states.input %}","which":"{% $which %}","seen":"{% $seen %}"},"End":true},
            "Small":{"Type":"Pass","Output":{"in":"{% $states.input %}","which":"{% $which %}"},"End":true}
            """#
        var big = try TestDriver(machine(states, startAt: "C"), input: ["n": 2])
        #expect(big.run() == .succeeded(.parse(#"{"in":{"big":true},"which":"rule","seen":true}"#)))
        var small = try TestDriver(machine(states, startAt: "C"), input: ["n": 1])
        #expect(small.run() == .succeeded(.parse(#"{"in":{"n":1},"which":"state"}"#)))
    }

    @Test func choiceConditionMustBeBoolean() throws {
        var driver = try TestDriver(machine(#""C":{"Type":"Choice","Choices":[{"Condition":"{% 1 %}","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}"#, startAt: "C"))
        #expect(cause(driver.run())?.hasSuffix("specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 1") == true)
    }

    @Test func waitSecondsAndTimestamp() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var seconds = try TestDriver(machine(#""W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}"#, startAt: "W"),
                                     input: ["s": 7], start: start)
        #expect(seconds.run() == .succeeded(["s": 7]))
        #expect(seconds.timers.first?.due == start.addingTimeInterval(7))
        var bad = try TestDriver(machine(#""W":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}"#, startAt: "W"),
                                 input: ["t": "2016-12-05T21:29:29"])
        #expect(cause(bad.run()) == "An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29")
    }

    @Test func mapItemsSelectorAndNumbers() throws {
        let states = #"""
            "M":{"Type":"Map","Items":"{% $states.input.xs %}","MaxConcurrency":"{% 2 %}",
                 "ItemSelector":{"i":"{% $states.context.Map.Item.Index %}","v":"{% $states.context.Map.Item.Value * 10 %}"},
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
                 "Output":{"all":"{% $states.result %}"},"End":true}
            """#
        var driver = try TestDriver(machine(states, startAt: "M"), input: ["xs": [1, 2]])
        #expect(driver.run() == .succeeded(.parse(#"{"all":[{"i":0,"v":10},{"i":1,"v":20}]}"#)))
        #expect(driver.childRequests.first?.maxConcurrency == 2)
    }

    @Test func mapItemsMustBeAnArray() throws {
        let processor = #""ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true"#
        var items = try TestDriver(machine(#""M":{"Type":"Map","Items":"{% 'string' %}",\#(processor)}"#, startAt: "M"))
        #expect(cause(items.run())?.hasSuffix("The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\"") == true)
        #expect(items.eventTypes == ["ExecutionStarted", "MapStateEntered", "EvaluationFailed", "MapStateFailed", "ExecutionFailed"])
        var input = try TestDriver(machine(#""M":{"Type":"Map",\#(processor)}"#, startAt: "M"), input: ["foo": "bar"])
        #expect(cause(input.run())?.hasSuffix(#"Map state input must be an array but was: {"foo":"bar"}"#) == true)
    }

    @Test func parallelArgumentsAndInnerVariables() throws {
        let states = #"""
            "A":{"Type":"Pass","Assign":{"outer":1},"Next":"P"},
            "P":{"Type":"Parallel","Arguments":{"x":"{% $outer %}"},"Branches":[
                {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"outer":99},"Output":"{% $states.input.x + $outer %}","End":true}}}],
             "Output":{"r":"{% $states.result %}","outer":"{% $outer %}"},"End":true}
            """#
        var driver = try TestDriver(machine(states))
        #expect(driver.run() == .succeeded(.parse(#"{"r":[2],"outer":1}"#)))
    }

    @Test func catchOutputAndAssignSeeTheErrorOutput() throws {
        let states = #"""
            "T":{"Type":"Task","Resource":"baton:function:f","Catch":[{"ErrorEquals":["States.ALL"],"Next":"D",
                  "Output":{"e":"{% $states.errorOutput.Error %}","in":"{% $states.input.k %}"},"Assign":{"cause":"{% $states.errorOutput.Cause %}"}}],"End":true},
            "D":{"Type":"Pass","Output":{"out":"{% $states.input %}","cause":"{% $cause %}"},"End":true}
            """#
        var driver = try TestDriver(machine(states, startAt: "T"), input: ["k": "v"]) {
            .taskFailed(taskId: $0.id, failure: RunFailure(error: "Boom", cause: "why"))
        }
        #expect(driver.run() == .succeeded(.parse(#"{"out":{"e":"Boom","in":"v"},"cause":"why"}"#)))
    }

    @Test func queryEvaluationErrorsGoThroughRetryAndCatch() throws {
        let states = #"""
            "T":{"Type":"Task","Resource":"baton:function:f","Arguments":"{% $missing %}",
                 "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"MaxAttempts":1,"IntervalSeconds":1}],
                 "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"D"}],"End":true},
            "D":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}
            """#
        var driver = try TestDriver(machine(states, startAt: "T"))
        #expect(driver.run() == .succeeded("States.QueryEvaluationError"))
        #expect(driver.eventTypes.filter { $0 == "EvaluationFailed" }.count == 2)
        #expect(driver.timers.map(\.purpose) == [.retryBackoff])
    }

    @Test func aStateCanOverrideTheTopLevelLanguage() throws {
        let definition = JSON.parse(#"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Parameters":{"v.$":"$.x"},"Next":"B"},
              "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input.v * 2 %}","End":true}}}
            """#)
        var driver = try TestDriver(definition, input: ["x": 4])
        #expect(driver.run() == .succeeded(8))
    }

    @Test func expressionsAreParsedWhenTheMachineIsBuilt() {
        #expect(throws: StateMachineError.self) {
            _ = try StateMachine(definition: machine(#""A":{"Type":"Pass","Output":{"x":["{% 1 + %}"]},"End":true}"#))
        }
        do {
            _ = try StateMachine(definition: machine(#""A":{"Type":"Pass","Output":{"x":["{% 1 + %}"]},"End":true}"#))
        } catch {
            #expect(error.problems.first?.location == "/States/A/Output/x/0")
        }
    }

    @Test func numberFieldsAreChecked() throws {
        var timeout = try TestDriver(machine(#""A":{"Type":"Task","Resource":"baton:function:f","TimeoutSeconds":"{% 0 %}","End":true}"#))
        #expect(cause(timeout.run())?.hasSuffix("The TimeoutSeconds field must be a positive integer, but was: 0") == true)
        #expect(timeout.tasks.isEmpty)
        var seconds = try TestDriver(machine(#""W":{"Type":"Wait","Seconds":"{% 1.5 %}","End":true}"#, startAt: "W"))
        #expect(cause(seconds.run())?.hasSuffix("specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was 'number' for value: 1.5") == true)
    }

    @Test func itemBatcherFromExpressions() throws {
        let states = #"""
            "M":{"Type":"Map","Items":[1,2,3],"ItemBatcher":{"MaxItemsPerBatch":"{% 2 %}","BatchInput":{"k":"{% $states.input.k %}"}},
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """#
        var driver = try TestDriver(machine(states, startAt: "M"), input: ["k": "v"])
        #expect(driver.run() == .succeeded(.parse(#"[{"BatchInput":{"k":"v"},"Items":[1,2]},{"BatchInput":{"k":"v"},"Items":[3]}]"#)))
    }

    @Test func nowIsTheStepsTime() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var driver = try TestDriver(machine(#""A":{"Type":"Pass","Output":"{% $millis() %}","End":true}"#), start: start)
        #expect(driver.run() == .succeeded(.int(1_700_000_000_000)))
    }
}
