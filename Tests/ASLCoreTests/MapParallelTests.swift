import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct MapParallelTests {
    @Test func mapRunsEachItemAndKeepsOrder() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":2,
          "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Parameters":{"v.$":"$"},"End":true}}},
          "ResultPath":"$.out","End":true}}}
        """#), input: .parse(#"{"xs":[1,2,3]}"#))
        #expect(driver.run() == .succeeded(.parse(#"{"xs":[1,2,3],"out":[{"v":1},{"v":2},{"v":3}]}"#)))
        #expect(driver.childRequests.first?.maxConcurrency == 2)
        #expect(driver.childRequests.first?.kind == .mapIteration)
        #expect(driver.childRequests.first?.blocks == [BlockReference(steps: [.itemProcessor(state: "M")])])
        #expect(driver.eventTypes.prefix(5) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted", "PassStateEntered"])
        #expect(driver.eventTypes.suffix(3) == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])
    }

    @Test func itemSelectorSeesTheMapItemInTheContext() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
          "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","all.$":"$.tag"},
          "Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
        """#), input: .parse(#"{"xs":["a","b"],"tag":"t"}"#))
        #expect(driver.run() == .succeeded(.parse(#"[{"i":0,"v":"a","all":"t"},{"i":1,"v":"b","all":"t"}]"#)))
    }

    @Test func itemBatcherGroupsItems() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"k":1}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
        """#), input: .parse("[1,2,3]"))
        #expect(driver.run() == .succeeded(.parse(#"[{"BatchInput":{"k":1},"Items":[1,2]},{"BatchInput":{"k":1},"Items":[3]}]"#)))
        #expect(driver.eventTypes == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                                      "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])
    }

    @Test func aFailedIterationFailsTheMapWithItsError() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad","Cause":"item"}}},"End":true}}}
        """#), input: .parse("[1]"))
        #expect(driver.run() == .failed(RunFailure(error: "Bad", cause: "item")))
        #expect(driver.eventTypes == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted", "FailStateEntered",
                                      "MapIterationFailed", "MapStateFailed", "ExecutionFailed"])
    }

    @Test func toleratedFailuresLetTheMapSucceedUntilExceeded() throws {
        let definition = { (count: Int) in JSON.parse(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":\#(count),"ItemProcessor":{"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"P"},
              "F":{"Type":"Fail","Error":"Zero"},"P":{"Type":"Pass","End":true}}},"End":true}}}
            """#) }
        var tolerant = try TestDriver(definition(1), input: .parse("[1,0,2]"))
        #expect(tolerant.run() == .succeeded(.parse(#"[1,{"Error":"Zero"},2]"#)))
        var strict = try TestDriver(definition(0), input: .parse("[1,0,2]"))
        guard case .failed(let failure) = strict.run() else { Issue.record("expected failure"); return }
        #expect(failure.error == "States.ExceedToleratedFailureThreshold")
    }

    @Test func mapRetryStartsTheMapAgain() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","Retry":[{"ErrorEquals":["Bad"],"MaxAttempts":1}],
          "ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad"}}},"End":true}}}
        """#), input: .parse("[1]"))
        _ = driver.run()
        #expect(driver.eventTypes == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted", "FailStateEntered",
                                      "MapIterationFailed", "MapStateStarted", "MapIterationStarted", "FailStateEntered", "MapIterationFailed",
                                      "MapStateFailed", "ExecutionFailed"])
    }

    @Test func parallelGivesBranchOutputsInBranchOrder() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"baton:function:f","End":true}}}],"End":true}}}
        """#), input: ["in": 1])
        #expect(driver.run() == .succeeded(.parse(#"["a",{"in":1}]"#)))
        #expect(driver.childRequests.first?.blocks.map(\.pointer) == ["/States/P/Branches/0", "/States/P/Branches/1"])
        #expect(driver.eventTypes.first(where: { $0.hasPrefix("Parallel") }) == "ParallelStateEntered")
        #expect(driver.eventTypes.suffix(3) == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"])
    }

    @Test func parallelCatchRoutesBranchFailures() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"X","Cause":"y"}}}],
          "Catch":[{"ErrorEquals":["X"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}}
        """#))
        #expect(driver.run() == .succeeded(.parse(#"{"Error":"X","Cause":"y"}"#)))
        #expect(driver.eventTypes == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "FailStateEntered", "ParallelStateFailed",
                                      "ParallelStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
    }
}

@Suite struct ChildRunsTrackerTests {
    @Test func respectsMaxConcurrency() {
        var tracker = ChildRunsTracker(count: 5, maxConcurrency: 2)
        #expect(tracker.start() == .startMore(0..<2))
        #expect(tracker.record(index: 1, outcome: .succeeded("b")) == .startMore(2..<3))
        #expect(tracker.record(index: 0, outcome: .succeeded("a")) == .startMore(3..<4))
        #expect(tracker.running == 2)
        #expect(tracker.record(index: 3, outcome: .succeeded("d")) == .startMore(4..<5))
        #expect(tracker.record(index: 2, outcome: .succeeded("c")) == .startMore(5..<5))
        #expect(tracker.record(index: 4, outcome: .succeeded("e")) == .succeeded(["a", "b", "c", "d", "e"]))
        #expect(tracker.record(index: 4, outcome: .succeeded("again")) == .alreadyDone)
    }

    @Test func zeroMeansNoLimit() {
        var tracker = ChildRunsTracker(count: 1000, maxConcurrency: 0)
        #expect(tracker.start() == .startMore(0..<1000))
    }

    @Test func noChildrenSucceedAtOnce() {
        var tracker = ChildRunsTracker(count: 0, maxConcurrency: 3)
        #expect(tracker.start() == .succeeded([]))
    }

    @Test func toleratedPercentage() {
        var tracker = ChildRunsTracker(count: 4, maxConcurrency: 0, toleratedFailurePercentage: 25)
        _ = tracker.start()
        #expect(tracker.record(index: 0, outcome: .failed(RunFailure(error: "E", cause: nil))) == .startMore(4..<4))
        guard case .failed(let failure) = tracker.record(index: 1, outcome: .failed(RunFailure(error: "E", cause: nil))) else {
            Issue.record("expected the threshold to be exceeded"); return
        }
        #expect(failure.error == "States.ExceedToleratedFailureThreshold")
    }

    @Test func survivesEncoding() throws {
        var tracker = ChildRunsTracker(count: 2, maxConcurrency: 1)
        _ = tracker.start()
        _ = tracker.record(index: 0, outcome: .succeeded(["k": 1]))
        var restored = try JSONDecoder().decode(ChildRunsTracker.self, from: JSONEncoder().encode(tracker))
        #expect(restored.record(index: 1, outcome: .succeeded(2)) == .succeeded([["k": 1], 2]))
    }
}
