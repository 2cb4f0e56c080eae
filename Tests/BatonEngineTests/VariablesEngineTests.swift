import ASLCore
import BatonEngine
import BatonJSON
import BatonLocal
import BatonTestSupport
import Foundation
import Testing

/// Workflow variables through the distributed engine: the run's variables survive being stored between
/// events (a Task in between), and Map iterations / Parallel branches created later from the fan-out row
/// (MaxConcurrency 1) start with the parent's variables, as in the local runner.
@Suite("Variables in the engine") struct VariablesEngineTests {
    static let definition = """
        {"StartAt":"Init","States":{
          "Init":{"Type":"Pass","Assign":{"base":100,"items":[1,2,3]},"Next":"Work"},
          "Work":{"Type":"Task","Resource":"baton:function:echo","Assign":{"fromTask.$":"$.v"},"Next":"Fan"},
          "Fan":{"Type":"Parallel","Branches":[
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$items","MaxConcurrency":1,
              "ItemProcessor":{"StartAt":"Set","States":{
                "Set":{"Type":"Pass","Assign":{"base.$":"$"},"Next":"Read"},
                "Read":{"Type":"Pass","Parameters":{"item.$":"$base","task.$":"$fromTask"},"End":true}}},"End":true}}},
            {"StartAt":"B","States":{"B":{"Type":"Pass","Parameters":{"base.$":"$base"},"End":true}}}],
           "Assign":{"fanned.$":"$[1].base"},"Next":"Out"},
          "Out":{"Type":"Pass","Parameters":{"base.$":"$base","fanned.$":"$fanned","all.$":"$"},"End":true}}}
        """

    @Test func variablesMatchTheLocalRunner() async throws {
        let h = try await EngineHarness.make(suite: "EngineVariables")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("vars", Self.definition)
        let coordinator = h.startCoordinator(poll: .milliseconds(200))
        defer { coordinator.cancel() }
        let worker = h.startWorker("echo") { input, _ in input }
        defer { worker.cancel() }
        let input: JSON = ["v": 7]
        let execution = try await h.executions.start(stateMachine: "vars", input: input, name: "vars-1", on: h.connection)
        let ended = try await h.waitForEnd(execution.arn)
        let expected = try JSON(parsing: #"""
            {"base":100,"fanned":100,"all":[[{"item":1,"task":7},{"item":2,"task":7},{"item":3,"task":7}],{"base":100}]}
            """#)
        #expect(ended.status == "SUCCEEDED", "\(ended.error ?? "") \(ended.cause ?? "")")
        #expect(try JSON(parsing: ended.output ?? "null") == expected)
        let machine = try StateMachine(definition: try JSON(parsing: Self.definition))
        let local = await LocalRunner(machine: machine, options: LocalRunOptions(
            functions: ["echo": "cat"], fastTimers: true, stateMachineName: "vars", executionName: "vars-1")).run(input: input)
        #expect(local.outcome == .succeeded(expected))
        await stop(worker)
        await stop(coordinator)
    }

    /// The corpus's JSONPath-mode variable cases (no Lambda) pass through the engine as they do locally.
    @Test(.enabled(if: ConformanceParityTests.corpusPresent, "the conformance corpus ../shared/conformance is not present"),
          .timeLimit(.minutes(10)))
    func corpusVariableCasesPassThroughTheEngine() async throws {
        let h = try await EngineHarness.make(suite: "EngineVariablesCorpus")
        defer { Task { await h.connection.close() } }
        let coordinator = h.startCoordinator(poll: .seconds(1), concurrency: 2)
        defer { coordinator.cancel() }
        let distributed = try await ConformanceParityTests.verdicts(
            ["--filter", "assign.", "--filter", "variable_sampling", "--jobs", "4", "--timeout", "60", "--",
             BatonProcess.binary.path, "run", "--definition", "{definition}", "--input", "{input}", "--database", try h.url],
            excluding: "JSONata")
        #expect(distributed.total >= 27, "the corpus selection shrank: \(distributed.total) cases")
        #expect(distributed.failed.isEmpty, "\(distributed.failed)")
        await stop(coordinator)
    }
}
