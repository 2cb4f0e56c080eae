import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct PassStateTests {
    func run(_ state: String, input: String) throws -> RunOutcome {
        var driver = try TestDriver(.parse(#"{"StartAt":"P","States":{"P":\#(state)}}"#), input: .parse(input))
        return driver.run()
    }

    @Test func passesInputThroughByDefault() throws {
        #expect(try run(#"{"Type":"Pass","End":true}"#, input: #"{"a":1}"#) == .succeeded(.parse(#"{"a":1}"#)))
    }

    @Test func resultReplacesTheInput() throws {
        #expect(try run(#"{"Type":"Pass","Result":{"x":2},"End":true}"#, input: #"{"a":1}"#) == .succeeded(.parse(#"{"x":2}"#)))
    }

    @Test func resultPathPlacesTheResultInsideTheInput() throws {
        let outcome = try run(#"{"Type":"Pass","Result":7,"ResultPath":"$.b.c","End":true}"#, input: #"{"a":1}"#)
        #expect(outcome == .succeeded(.parse(#"{"a":1,"b":{"c":7}}"#)))
    }

    @Test func nullResultPathDiscardsTheResult() throws {
        #expect(try run(#"{"Type":"Pass","Result":7,"ResultPath":null,"End":true}"#, input: #"{"a":1}"#) == .succeeded(.parse(#"{"a":1}"#)))
    }

    @Test func inputPathParametersResultPathOutputPathInAWSOrder() throws {
        // InputPath narrows to $.in; Parameters reshape it; ResultPath puts it into the raw input; OutputPath selects.
        let state = #"{"Type":"Pass","InputPath":"$.in","Parameters":{"v.$":"$.v","k":"lit"},"ResultPath":"$.out","OutputPath":"$.out","End":true}"#
        #expect(try run(state, input: #"{"in":{"v":3},"other":true}"#) == .succeeded(.parse(#"{"v":3,"k":"lit"}"#)))
    }

    @Test func nullInputPathAndOutputPathGiveEmptyObjects() throws {
        #expect(try run(#"{"Type":"Pass","InputPath":null,"End":true}"#, input: #"{"a":1}"#) == .succeeded(.parse("{}")))
        #expect(try run(#"{"Type":"Pass","OutputPath":null,"End":true}"#, input: #"{"a":1}"#) == .succeeded(.parse("{}")))
    }

    @Test func missingInputPathIsARuntimeErrorNamingTheStateAndEvent() throws {
        let outcome = try run(#"{"Type":"Pass","InputPath":"$.missing","End":true}"#, input: #"{"a":1}"#)
        guard case .failed(let failure) = outcome else { Issue.record("expected failure, got \(outcome)"); return }
        #expect(failure.error == "States.Runtime")
        #expect(failure.cause?.hasPrefix("An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.missing'") == true)
    }

    @Test func contextObjectHasExecutionStateMachineAndState() throws {
        let outcome = try run(#"{"Type":"Pass","Parameters":{"c.$":"$$"},"End":true}"#, input: #"{"a":1}"#)
        guard case .succeeded(let output) = outcome, let context = output["c"] else { Issue.record("\(outcome)"); return }
        #expect(context["Execution"]?["Id"] == "arn:aws:states:eu-west-1:111122223333:execution:sm:exec")
        #expect(context["Execution"]?["Name"] == "exec")
        #expect(context["Execution"]?["Input"] == .parse(#"{"a":1}"#))
        #expect(context["Execution"]?["StartTime"] == "2023-11-14T22:13:20.000Z")
        #expect(context["Execution"]?["RedriveCount"] == 0)
        #expect(context["StateMachine"]?["Id"] == "arn:aws:states:eu-west-1:111122223333:stateMachine:sm")
        #expect(context["StateMachine"]?["Name"] == "sm")
        #expect(context["State"]?["Name"] == "P")
        #expect(context["State"]?["EnteredTime"] == "2023-11-14T22:13:20.000Z")
        #expect(context["State"]?["RetryCount"] == nil)
    }

    @Test func longChainsRunWithoutRecursion() throws {
        // 20,000 Pass states in a chain run in one handle call without growing the stack.
        var states = JSONObject()
        for i in 0..<20_000 {
            states["S\(i)"] = i == 19_999 ? ["Type": "Pass", "End": true] : ["Type": "Pass", "Next": .string("S\(i + 1)")]
        }
        var driver = try TestDriver(["StartAt": "S0", "States": .object(states)], input: ["n": 1])
        #expect(driver.run() == .succeeded(["n": 1]))
        #expect(driver.history.count == 40_002)
    }
}
