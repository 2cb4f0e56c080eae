import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct FlowStateTests {
    @Test func choicePicksTheFirstMatchingRuleThenDefault() throws {
        let definition = JSON.parse(#"""
        {"StartAt":"C","States":{
          "C":{"Type":"Choice","Choices":[
              {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
              {"Variable":"$.n","NumericGreaterThan":5,"Next":"Medium"}],
            "Default":"Small"},
          "Big":{"Type":"Pass","Result":"big","End":true},
          "Medium":{"Type":"Pass","Result":"medium","End":true},
          "Small":{"Type":"Pass","Result":"small","End":true}}}
        """#)
        for (n, expected) in [(20, "big"), (7, "medium"), (1, "small")] {
            var driver = try TestDriver(definition, input: ["n": .int(n)])
            #expect(driver.run() == .succeeded(.string(expected)))
        }
    }

    @Test func choiceWithoutMatchOrDefaultFailsWithNoChoiceMatched() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"E"}]},
         "E":{"Type":"Succeed"}}}
        """#), input: ["n": 2])
        guard case .failed(let failure) = driver.run() else { Issue.record("expected failure"); return }
        #expect(failure.error == "States.NoChoiceMatched")
        #expect(driver.eventTypes == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"])
    }

    @Test func waitSecondsStartsATimerAndAdvancesTheClock() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}"#))
        let start = driver.now
        #expect(driver.run() == .succeeded(.parse("{}")))
        #expect(driver.timers.count == 1)
        #expect(driver.timers[0].due == start.addingTimeInterval(30))
        #expect(driver.timers[0].purpose == .wait)
        #expect(driver.history.last?.timestamp == start.addingTimeInterval(30))
        #expect(driver.eventTypes == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"])
    }

    @Test func waitTimestampPathWaitsUntilThatTime() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}}"#),
                                    input: ["t": "2023-11-15T00:00:00Z"])
        _ = driver.run()
        #expect(driver.timers.first?.due == Date(timeIntervalSince1970: 1_700_006_400))
    }

    @Test(arguments: [
        ("-1", "The SecondsPath parameter references a negative value: $.s == -1"),
        ("1.5", "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"),
        ("\"x\"", "The SecondsPath parameter cannot be parsed as a long value: $.s == x"),
    ])
    func waitSecondsPathRejectsBadValues(value: String, cause: String) throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}"#),
                                    input: .parse(#"{"s":\#(value)}"#))
        guard case .failed(let failure) = driver.run() else { Issue.record("expected failure"); return }
        #expect(failure.error == "States.Runtime")
        #expect(failure.cause == "An error occurred while executing the state 'W' (entered at the event id #2). " + cause)
    }

    @Test func succeedAppliesInputPathAndOutputPath() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}}}"#),
                                    input: .parse(#"{"a":{"b":5}}"#))
        #expect(driver.run() == .succeeded(5))
    }

    @Test func failReportsErrorAndCause() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#))
        #expect(driver.run() == .failed(RunFailure(error: "E", cause: "C")))
        #expect(driver.eventTypes == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
    }

    @Test func failWithoutErrorOrCauseHasNeither() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"F","States":{"F":{"Type":"Fail"}}}"#))
        #expect(driver.run() == .failed(RunFailure(error: nil, cause: nil)))
    }

    @Test func failErrorPathAndIntrinsicCausePath() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('because {}', $.why)"}}}
        """#), input: .parse(#"{"e":"Boom","why":"reasons"}"#))
        #expect(driver.run() == .failed(RunFailure(error: "Boom", cause: "because reasons")))
    }

    @Test func executionTimeoutEndsTimedOut() throws {
        var driver = try TestDriver(.parse(#"{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}"#))
        let outcome = driver.run()
        #expect(outcome.status == "TIMED_OUT")
        #expect(driver.eventTypes == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"])
    }

    @Test func payloadLimitFailsWithDataLimitExceeded() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"0123456789012345678901234567890123456789","End":true}}}"#),
                                    payloadLimit: 20)
        guard case .failed(let failure) = driver.run() else { Issue.record("expected failure"); return }
        #expect(failure.error == "States.DataLimitExceeded")
        #expect(driver.eventTypes == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"])
    }
}
