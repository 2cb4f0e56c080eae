// Definitions without Tasks run through the engine and through the local runner give the same status,
// output, error and cause, and the same history events (as a multiset: items of a Map may interleave
// differently when their timers fire in different transactions).
import ASLCore
import BatonEngine
import BatonJSON
import BatonLocal
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
            let ended = try await h.waitForEnd(arn)
            let local = await LocalRunner(
                machine: try StateMachine(definition: try JSON(parsing: definition)),
                options: LocalRunOptions(fastTimers: true, stateMachineName: name, executionName: "x", keepHistory: true)
            ).run(input: try JSON(parsing: input))
            #expect(ended.status == local.outcome.status, "\(name)")
            switch local.outcome {
            case .succeeded(let output):
                #expect(ended.output == output.serialized(), "\(name)")
            case .failed(let f), .timedOut(let f), .aborted(let f):
                #expect(ended.error == f.error && ended.cause == f.cause, "\(name)")
            }
            #expect(try await h.historyTypes(arn).sorted() == local.history.map { $0.type }.sorted(), "\(name)")
        }
        #expect(try await h.count("SELECT count(*) FROM baton.inbox") == 0)
        await stop(coordinator)
    }
}
