import Testing
import Foundation
import BatonJSON
import ASLExpressions
import ASLCore

@Suite struct RetryCatchTests {
    func failing(_ error: String, times: Int = .max) -> TestDriver.TaskHandler {
        var remaining = times
        return { request in
            if remaining > 0 {
                remaining -= 1
                return .taskFailed(taskId: request.id, failure: RunFailure(error: error, cause: "c"))
            }
            return .taskSucceeded(taskId: request.id, output: "ok")
        }
    }

    func definition(retry: String = "[]", catchers: String = "[]") -> JSON {
        .parse(#"""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"baton:function:f","Retry":\#(retry),"Catch":\#(catchers),"End":true},
          "A":{"Type":"Pass","Result":"A","End":true},
          "B":{"Type":"Pass","End":true}}}
        """#)
    }

    @Test func backoffGrowsByTheRate() throws {
        var driver = try TestDriver(definition(retry: #"[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}]"#),
                                    handler: failing("E", times: 3))
        let start = driver.now
        #expect(driver.run() == .succeeded("ok"))
        let retryTimers = driver.timers.filter { $0.purpose == .retryBackoff }
        // Each delay counts from the failure, which happens at the previous timer's due time here.
        #expect(retryTimers.map { $0.due.timeIntervalSince(start) } == [2, 2 + 6, 2 + 6 + 18])
        #expect(driver.tasks.map(\.attempt) == [0, 1, 2, 3])
    }

    @Test func maxDelaySecondsCapsTheBackoff() {
        let retrier = Retrier(errorEquals: ["E"], intervalSeconds: 10, maxAttempts: 10, backoffRate: 4, maxDelaySeconds: 50)
        var random = SeededRandom(seed: 1)
        #expect((0..<4).map { retrier.delay(afterRetries: $0, random: &random) } == [10, 40, 50, 50])
    }

    @Test func fullJitterStaysWithinZeroAndTheDelay() {
        let retrier = Retrier(errorEquals: ["E"], intervalSeconds: 8, maxAttempts: 5, backoffRate: 2, jitter: .full)
        var random = SeededRandom(seed: 99)
        let delays = (0..<200).map { _ in retrier.delay(afterRetries: 2, random: &random) }
        #expect(delays.allSatisfy { $0 >= 0 && $0 <= 32 })
        #expect(Set(delays).count > 100)
        var again = SeededRandom(seed: 99)
        #expect(retrier.delay(afterRetries: 2, random: &again) == delays[0])
    }

    @Test func exhaustedRetriesGoToCatch() throws {
        var driver = try TestDriver(definition(retry: #"[{"ErrorEquals":["E"],"MaxAttempts":2,"IntervalSeconds":1}]"#,
                                               catchers: #"[{"ErrorEquals":["E"],"Next":"A"}]"#), handler: failing("E"))
        #expect(driver.run() == .succeeded("A"))
        #expect(driver.tasks.count == 3)
    }

    @Test func maxAttemptsZeroNeverRetries() throws {
        var driver = try TestDriver(definition(retry: #"[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}]"#), handler: failing("E"))
        #expect(driver.run() == .failed(RunFailure(error: "E", cause: "c")))
        #expect(driver.tasks.count == 1)
    }

    @Test func onlyTheFirstMatchingRetrierApplies() throws {
        let outcome = [Retrier(errorEquals: ["E"], maxAttempts: 0), Retrier(errorEquals: ["States.ALL"], maxAttempts: 5)]
        var random = SeededRandom(seed: 0)
        #expect(outcome.outcome(for: "E", retryCounts: [], random: &random) == .exhausted)
        #expect(outcome.outcome(for: "Other", retryCounts: [], random: &random) == .retry(after: 1, retrier: 1))
        #expect([Retrier(errorEquals: ["X"])].outcome(for: "E", retryCounts: [], random: &random) == .noMatch)
    }

    @Test func theFirstMatchingCatcherWinsAndResultPathKeepsTheInput() throws {
        var driver = try TestDriver(definition(catchers: #"[{"ErrorEquals":["Other"],"Next":"A"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"B"},{"ErrorEquals":["E"],"Next":"A"}]"#),
                                    input: ["in": 1], handler: failing("E"))
        #expect(driver.run() == .succeeded(.parse(#"{"in":1,"err":{"Error":"E","Cause":"c"}}"#)))
        #expect(driver.eventTypes == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "TaskStateExited",
                                      "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
    }

    @Test func statesRuntimeIsNeverCaught() {
        #expect(!ErrorMatcher(names: ["States.ALL"]).matches("States.Runtime"))
        #expect(!ErrorMatcher(names: ["States.Runtime"]).matches("States.Runtime"))
    }

    @Test func taskFailedMatchesEverythingButTimeouts() {
        let matcher = ErrorMatcher(names: ["States.TaskFailed"])
        #expect(matcher.matches("CustomError"))
        #expect(matcher.matches("States.TaskFailed"))
        #expect(!matcher.matches("States.Timeout"))
    }

    @Test func retryCountIsVisibleInTheContextObject() throws {
        let definition = JSON.parse(#"""
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:f","Parameters":{"n.$":"$$.State.RetryCount"},
          "Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}],"End":true}}}
        """#)
        var driver = try TestDriver(definition, handler: failing("E", times: 2))
        _ = driver.run()
        #expect(driver.tasks.map(\.input) == [["n": 0], ["n": 1], ["n": 2]])
    }
}
