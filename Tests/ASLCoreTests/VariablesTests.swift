import Testing
import Foundation
import BatonJSON
import ASLCore

/// Workflow variables in JSONPath mode: what `Assign` reads, when assignments become visible, scoping in
/// Map and Parallel, Catch, Choice, the size limits and the history.
@Suite struct VariablesTests {
    @Test func allAssignmentsOfAStateSeeTheOldValues() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"A","States":{
          "A":{"Type":"Pass","Assign":{"x":1,"y":10},"Next":"B"},
          "B":{"Type":"Pass","Assign":{"x.$":"$y","y.$":"$x","sum.$":"States.MathAdd($x, $y)"},"OutputPath":"$x","Next":"C"},
          "C":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y","sum.$":"$sum","before.$":"$"},"End":true}}}
        """#))
        // B swaps x and y (each read the old value), and B's own OutputPath still reads the old x (1).
        #expect(driver.run() == .succeeded(.parse(#"{"x":10,"y":1,"sum":11,"before":1}"#)))
    }

    @Test func taskAssignReadsTheResultAfterResultSelector() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"baton:function:f","ResultSelector":{"n.$":"$.value"},
               "Assign":{"got.$":"$.n","input.$":"$$.Execution.Input.tag"},"ResultPath":null,"Next":"P"},
          "P":{"Type":"Pass","Parameters":{"got.$":"$got","input.$":"$input"},"End":true}}}
        """#), input: .parse(#"{"value":7,"tag":"t"}"#))
        #expect(driver.run() == .succeeded(.parse(#"{"got":7,"input":"t"}"#)))
        let exited = try #require(driver.history.first { $0.type == "TaskStateExited" })
        #expect(exited.details["assignedVariables"] == .parse(#"{"got":7,"input":"t"}"#))
        let aws = exited.awsJSON()["stateExitedEventDetails"]
        #expect(aws?["assignedVariables"] == .parse(#"{"got":"7","input":"\"t\""}"#))
        #expect(aws?["assignedVariablesDetails"] == .parse(#"{"truncated":false}"#))
    }

    @Test func catchAssignReadsTheErrorOutputAndTheFailedStateAssignsNothing() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"baton:function:f","Assign":{"status":"ok"},
               "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"error.$":"$.Error","cause.$":"$.Cause"},"ResultPath":"$.caught","Next":"P"}],"End":true},
          "P":{"Type":"Pass","Parameters":{"error.$":"$error","cause.$":"$cause"},"End":true}}}
        """#), handler: { .taskFailed(taskId: $0.id, failure: RunFailure(error: "Boom", cause: "why")) })
        #expect(driver.run() == .succeeded(.parse(#"{"error":"Boom","cause":"why"}"#)))
        #expect(!driver.history.contains { $0.details["assignedVariables"]?["status"] != nil })
    }

    @Test func choiceAppliesTheStateAssignThenTheMatchedRules() throws {
        let definition = JSON.parse(#"""
        {"StartAt":"C","States":{
          "C":{"Type":"Choice","Assign":{"status":"default","seen.$":"$.n"},
               "Choices":[{"Variable":"$.n","NumericEquals":1,"Assign":{"status":"one"},"Next":"P"}],"Default":"P"},
          "P":{"Type":"Pass","Parameters":{"status.$":"$status","seen.$":"$seen"},"End":true}}}
        """#)
        var matched = try TestDriver(definition, input: .parse(#"{"n":1}"#))
        #expect(matched.run() == .succeeded(.parse(#"{"status":"one","seen":1}"#)))
        var defaulted = try TestDriver(definition, input: .parse(#"{"n":2}"#))
        #expect(defaulted.run() == .succeeded(.parse(#"{"status":"default","seen":2}"#)))
    }

    @Test func nestedMapAndParallelReadOuterVariablesAndDoNotLeak() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"Init","States":{
          "Init":{"Type":"Pass","Assign":{"x":1,"items":[10,20]},"Next":"Par"},
          "Par":{"Type":"Parallel","Branches":[
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$items","ItemProcessor":{"StartAt":"Set","States":{
               "Set":{"Type":"Pass","Assign":{"x.$":"$","inner":true},"Next":"Read"},
               "Read":{"Type":"Pass","Parameters":{"x.$":"$x","items.$":"$items"},"End":true}}},
               "Assign":{"afterMap.$":"$x"},"Next":"B1"},
             "B1":{"Type":"Pass","Parameters":{"x.$":"$x","afterMap.$":"$afterMap"},"End":true}}},
            {"StartAt":"B2","States":{"B2":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}],
            "Next":"Out"},
          "Out":{"Type":"Pass","Parameters":{"x.$":"$x","branches.$":"$"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$inner","IsPresent":true,"Next":"Leaked"}],"Default":"Done"},
          "Leaked":{"Type":"Fail","Error":"Leaked"},
          "Done":{"Type":"Succeed"}}}
        """#))
        let outcome = driver.run()
        #expect(outcome == .succeeded(.parse(#"""
        {"x":1,"branches":[{"x":1,"afterMap":1},{"x":1}]}
        """#)))
        // Each iteration reads its own assignment and the outer variable.
        let reads = driver.history.filter { $0.type == "PassStateExited" && $0.details["name"] == "Read" }.compactMap { $0.details["output"] }
        #expect(reads == [.parse(#"{"x":10,"items":[10,20]}"#), .parse(#"{"x":20,"items":[10,20]}"#)])
        #expect(driver.childRequests.allSatisfy { $0.variables["x"] == 1 })
    }

    @Test func aDistributedMapsItemsStartWithoutTheParentsVariables() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"Init","States":{
          "Init":{"Type":"Pass","Assign":{"x":1},"Result":[1],"Next":"M"},
          "M":{"Type":"Map","ItemSelector":{"x.$":"$x"},
               "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
        """#))
        #expect(driver.run() == .succeeded(.parse(#"[{"x":1}]"#)))
        #expect(driver.childRequests.first?.variables.isEmpty == true)
    }

    @Test func readingAnUnassignedVariableIsARuntimeError() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$nope","End":true}}}"#))
        guard case .failed(let failure) = driver.run() else { Issue.record("expected a failure"); return }
        #expect(failure.error == "States.Runtime")
        #expect(failure.cause?.contains("The variable 'nope' is not defined") == true)
    }

    @Test func aValueOverTheSizeLimitFailsTheState() throws {
        let big = String(repeating: "a", count: VariableLimits.maxValueBytes)
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"big.$":"$.s"},"End":true}}}
        """#), input: .object(["s": .string(big)]))
        guard case .failed(let failure) = driver.run() else { Issue.record("expected a failure"); return }
        #expect(failure.error == "States.Runtime")
        #expect(failure.cause?.contains("'big' exceeds the maximum size") == true)
    }

    @Test func variablesSurviveEncodingARun() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":{"b":2,"a":1}},"Next":"W"},
          "W":{"Type":"Wait","Seconds":5,"Assign":{"y.$":"$x.a"},"End":true}}}
        """#))
        var run = Run(block: .root, kind: .execution, input: [:])
        var lastEventId = 0
        _ = run.start(in: driver.environment, now: driver.now, randomSeed: 1, lastEventId: &lastEventId)
        let decoded = try JSONDecoder().decode(Run.self, from: JSONEncoder().encode(run))
        #expect(JSON.object(decoded.variables).serialized() == #"{"x":{"b":2,"a":1}}"#)
        let legacy = try JSONSerialization.jsonObject(with: JSONEncoder().encode(run)) as? [String: Any]
        var withoutVariables = try #require(legacy)
        #expect(withoutVariables.removeValue(forKey: "storedVariables") != nil)
        let old = try JSONDecoder().decode(Run.self, from: JSONSerialization.data(withJSONObject: withoutVariables))
        #expect(old.variables.isEmpty)
        #expect(driver.run() == .succeeded([:]))
    }
}
