// A Map over 100,000 items through the engine (issue 4: "a Map over 100,000 items must work, not just 1,000").
// The items are Pass iterations, so the test measures the engine's fan-out (inserting the items, starting,
// finishing and assembling them in rows), not a worker. The wall time goes to the log, not into an assertion:
// the test machine is shared and its speed varies.
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("Large Map") struct LargeMapTests {
    @Test(.timeLimit(.minutes(5))) func aMapOverOneHundredThousandItemsCompletes() async throws {
        var h = try await EngineHarness.make(suite: "EngineLargeMap")
        h.engine.payloadSizeLimit = 64 << 20  // the input and the output are over AWS's 256 KiB (1.2 MiB)
        defer { Task { [h] in await h.connection.close() } }
        try await h.createMachine("large-map", """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":0,
              "ItemProcessor":{"StartAt":"Tag","States":{
                "Tag":{"Type":"Pass","Parameters":{"i.$":"$"},"End":true}}},
              "End":true}}}
            """)
        let coordinator = h.startCoordinator(concurrency: 2)
        let count = 100_000
        let started = ContinuousClock.now
        let execution = try await h.executions.start(
            stateMachine: "large-map", input: JSON.array((0..<count).map { .int($0) }), on: h.connection)
        let ended = try await h.waitForEnd(execution.arn, timeout: .seconds(240))
        let wall = ContinuousClock.now - started
        print("LargeMapTests: a Map over \(count) Pass items took \(wall) from start-execution to SUCCEEDED")
        #expect(ended.status == "SUCCEEDED")
        let output = try JSON(parsing: ended.output ?? "null")
        #expect(output == JSON.array((0..<count).map { .object(["i": .int($0)]) }))
        #expect(try await h.count("SELECT count(*) FROM baton.fan_out_items WHERE status = 'succeeded'") == count)
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'MapIterationSucceeded'") == count)
        await stop(coordinator)
    }
}
