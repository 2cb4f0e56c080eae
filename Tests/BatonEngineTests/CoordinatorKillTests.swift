// `kill -9` of one of three coordinator processes while a 10,000-item Map runs: the Map completes with every item's
// result exactly once, in order (the killed coordinator's open transaction rolls back; the others redo it).
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("Coordinator kill -9") struct CoordinatorKillTests {
    @Test func aMapSurvivesTheLossOfACoordinator() async throws {
        let h = try await EngineHarness.make(suite: "EngineCoordinatorKill")
        defer { Task { await h.connection.close() } }
        let url = try h.url
        // A Wait inside each item puts every item through several transactions (timer, fire, finish).
        try await h.createMachine("map", """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":100,
              "ItemProcessor":{"StartAt":"Nap","States":{
                "Nap":{"Type":"Wait","Seconds":0,"Next":"Tag"},
                "Tag":{"Type":"Pass","Parameters":{"i.$":"$"},"End":true}}},
              "End":true}}}
            """)
        let coordinators = try (0..<3).map { _ in try BatonProcess(["coordinator", "--database", url, "--poll-seconds", "1"]) }
        let count = 10_000
        let execution = try await h.executions.start(
            stateMachine: "map", input: JSON.array((0..<count).map { .int($0) }), on: h.connection)
        try await waitUntil("a quarter of the items to finish", timeout: .seconds(120)) {
            try await h.count("SELECT count(*) FROM baton.fan_out_items WHERE status = 'succeeded'") >= count / 4
        }
        coordinators[0].send(SIGKILL)
        #expect(try await coordinators[0].waitForExit() != 0)
        let ended = try await h.waitForEnd(execution.arn, timeout: .seconds(180))
        #expect(ended.status == "SUCCEEDED")
        #expect(try JSON(parsing: ended.output ?? "null") == JSON.array((0..<count).map { .object(["i": .int($0)]) }))
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'MapIterationSucceeded'") == count)
        #expect(try await h.count("SELECT count(DISTINCT (details->>'index')) FROM baton.history_events WHERE type = 'MapIterationSucceeded'") == count)
        #expect(try await h.count("SELECT count(*) FROM baton.timers WHERE status = 'fired'") == count)
        for coordinator in coordinators.dropFirst() { coordinator.send(SIGTERM) }
        for coordinator in coordinators.dropFirst() { #expect(try await coordinator.waitForExit() == 0) }
    }
}
