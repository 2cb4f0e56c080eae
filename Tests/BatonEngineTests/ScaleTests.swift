import BatonEngine
import BatonJSON
import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

@Suite("Coordinator at scale") struct ScaleTests {
    /// Two coordinators share 1,000 executions: every one finishes exactly once (one ExecutionSucceeded
    /// each, history ids without gaps) and no inbox row is left.
    @Test func twoCoordinatorsNeverApplyTheSameWorkTwice() async throws {
        let h = try await EngineHarness.make(suite: "EngineTwoCoordinators")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("wait-chain", """
            {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":0,"Next":"B"},
             "B":{"Type":"Pass","Result":{"done":true},"End":true}}}
            """)
        let first = h.startCoordinator(concurrency: 2)
        let second = h.startCoordinator(concurrency: 2)
        for index in 0..<1000 {
            try await h.executions.start(stateMachine: "wait-chain", input: ["i": .int(index)], name: "e\(index)", on: h.connection)
        }
        try await waitUntil("1,000 executions to finish", timeout: .seconds(120), poll: .milliseconds(100)) {
            try await h.count("SELECT count(*) FROM baton.executions WHERE status <> 'RUNNING'") == 1000
        }
        #expect(try await h.count("SELECT count(*) FROM baton.executions WHERE status = 'SUCCEEDED'") == 1000)
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'ExecutionSucceeded'") == 1000)
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'ExecutionStarted'") == 1000)
        // Gap-free ids: per execution, max(event_id) = count(*) = last_event_id.
        #expect(try await h.count("""
            SELECT count(*) FROM baton.executions e
            WHERE e.last_event_id <> (SELECT count(*) FROM baton.history_events h WHERE h.execution_id = e.id)
            """) == 0)
        #expect(try await h.count("SELECT count(*) FROM baton.inbox") == 0)
        await stop(first)
        await stop(second)
    }

    /// A Map with MaxConcurrency over 1,000 items, each a Task on a worker, assembles results in item order,
    /// and never ran more than MaxConcurrency items at once.
    @Test func mapWithMaxConcurrencyOverAThousandItems() async throws {
        let h = try await EngineHarness.make(suite: "EngineMapThousand")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("map", """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":50,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Square","States":{
                "Square":{"Type":"Task","Resource":"baton:function:square","End":true}}},
              "End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let peak = LockedCounter()
        let worker = h.startWorker("square", concurrency: 16) { input, _ in
            let n = input.intValue ?? 0
            return .int(n * n)
        }
        let items = JSON.array((0..<1000).map { .int($0) })
        let execution = try await h.executions.start(stateMachine: "map", input: ["items": items], on: h.connection)
        // Sample the number of running items while it runs.
        let sampler = Task {
            while !Task.isCancelled {
                let running = try await h.count("SELECT coalesce(max(items_running), 0) FROM baton.fan_outs")
                peak.raise(to: running)
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let ended = try await h.waitForEnd(execution.arn, timeout: .seconds(180))
        sampler.cancel()
        #expect(ended.status == "SUCCEEDED")
        let output = try JSON(parsing: ended.output ?? "null")
        #expect(output == JSON.array((0..<1000).map { .int($0 * $0) }))
        #expect(peak.value <= 50)
        #expect(try await h.count("SELECT count(*) FROM baton.fan_out_items WHERE status = 'succeeded'") == 1000)
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'MapIterationSucceeded'") == 1000)
        await stop(worker)
        await stop(coordinator)
    }
}
