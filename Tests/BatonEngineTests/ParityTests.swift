// Definitions without Tasks run through the engine and through the local runner give the same status,
// output, error and cause, and the same history events (as a multiset: items of a Map may interleave
// differently when their timers fire in different transactions).
import ASLCore
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("Engine parity with the local runner") struct ParityTests {
    static let cases: [(name: String, definition: String, input: String)] = [
        ("parallel-of-maps", """
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"M1","States":{"M1":{"Type":"Map","ItemsPath":"$.a","MaxConcurrency":1,"ItemProcessor":{
                "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$"},"End":true}}},"End":true}}},
              {"StartAt":"M2","States":{"M2":{"Type":"Map","ItemsPath":"$.b","ItemProcessor":{
                "StartAt":"Inner","States":{"Inner":{"Type":"Map","ItemsPath":"$","ItemProcessor":{
                  "StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}},"End":true}}},"End":true}}}]}}}
            """, #"{"a":[1,2,3],"b":[[1,2],[3],[]]}"#),
        ("map-failure-caught", """
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"ItemProcessor":{"StartAt":"C","States":{
               "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"W"},
               "W":{"Type":"Wait","Seconds":0,"End":true},
               "Bad":{"Type":"Fail","Error":"ItemFailed","Cause":"two"}}},
             "Catch":[{"ErrorEquals":["ItemFailed"],"ResultPath":"$.error","Next":"Caught"}],"Next":"Done"},
             "Caught":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}}
            """, "[0,1,2,3,4]"),
        ("map-tolerated-failure", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"C","States":{
               "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"Bad"}],"Default":"Ok"},
               "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"E","Cause":"one"}}},"End":true}}}
            """, "[0,1,2]"),
        ("map-over-tolerance", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailurePercentage":10,"ItemProcessor":{"StartAt":"Bad","States":{
               "Bad":{"Type":"Fail","Error":"E"}}},"End":true}}}
            """, "[0,1,2]"),
        ("execution-timeout", """
            {"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}
            """, "{}"),
        ("retry-then-catch", """
            {"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom"}}}],
             "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":1,"MaxAttempts":1}],
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"After"}],"End":true},"After":{"Type":"Pass","End":true}}}
            """, #"{"k":1}"#),
        ("empty-map", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """, "[]"),
    ]

    @Test func definitionsGiveTheSameResultsAsTheLocalRunner() async throws {
        let h = try await EngineHarness.make(suite: "EngineParity")
        defer { Task { await h.connection.close() } }
        let coordinator = h.startCoordinator()
        defer { coordinator.cancel() }
        var arns: [String] = []
        for (name, definition, input) in Self.cases {
            try await h.createMachine(name, definition)
            arns.append(try await h.executions.start(stateMachine: name, input: try JSON(parsing: input), name: "x", on: h.connection).arn)
        }
        for ((name, definition, input), arn) in zip(Self.cases, arns) {
            try await h.expectLocalRunnerParity(name, definition: definition, input: input, arn: arn)
        }
        #expect(try await h.count("SELECT count(*) FROM baton.inbox") == 0)
        await stop(coordinator)
    }
}
