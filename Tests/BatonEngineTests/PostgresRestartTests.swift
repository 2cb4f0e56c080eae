// A PostgreSQL restart in the middle of a run: coordinator and `baton worker --exec` processes lose every
// connection (a fast shutdown terminates them) for several seconds, reconnect by themselves, and every execution finishes, each
// task's result applied once. The server is a private cluster (PrivateCluster): restarting the shared test
// server would break the suites running beside this one.
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

@Suite("PostgreSQL restart") struct PostgresRestartTests {
    @Test(.timeLimit(.minutes(5))) func coordinatorsAndWorkersReconnectAndEveryExecutionFinishes() async throws {
        try await PrivateCluster.with { cluster in try await Self.run(on: cluster) }
    }

    static func run(on cluster: PrivateCluster) async throws {
        var h = try await EngineHarness.make(on: try cluster.configuration)
        let url = cluster.url
        try await h.createMachine("chain", """
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"baton:function:step","Parameters":{"step":"A","i.$":"$.i"},"ResultPath":"$.a","Next":"B"},
              "B":{"Type":"Task","Resource":"baton:function:step","Parameters":{"step":"B","i.$":"$.i"},"ResultPath":"$.b","Next":"C"},
              "C":{"Type":"Task","Resource":"baton:function:step","Parameters":{"step":"C","i.$":"$.i"},"ResultPath":"$.c","End":true}}}
            """)
        let coordinators = try (0..<2).map { _ in
            try BatonProcess(["coordinator", "--database", url, "--poll-seconds", "1", "--log-level", "warning"])
        }
        let workers = try (0..<3).map { _ in
            try BatonProcess(["worker", "--database", url, "--function", "step", "--exec", "cat", "--concurrency", "4",
                              "--poll-seconds", "1", "--lease-seconds", "6", "--log-level", "warning"])
        }
        let count = 200
        for index in 0..<count {
            try await h.executions.start(stateMachine: "chain", input: ["i": .int(index)], name: "e\(index)", on: h.connection)
        }
        try await waitUntil("some executions to finish before the restart", timeout: .seconds(90), poll: .milliseconds(50)) {
            try await h.count("SELECT count(*) FROM baton.executions WHERE status = 'SUCCEEDED'") >= 20
        }
        let finishedBefore = try await h.count("SELECT count(*) FROM baton.executions WHERE status <> 'RUNNING'")
        // The server is down for a while (the scenario, not a synchronisation): long enough for every process
        // to fail and retry, and for results finished meanwhile to outlast a short retry budget.
        try await cluster.stop()
        try await Task.sleep(for: .seconds(6))
        try await cluster.start()
        h = try await h.reconnected()
        let restarted = ContinuousClock.now
        do {
            try await waitUntil("every execution to finish after the restart", timeout: .seconds(60), poll: .milliseconds(100)) {
                try await h.count("SELECT count(*) FROM baton.executions WHERE status <> 'RUNNING'") == count
            }
        } catch {
            let stuck = try await h.connection.query("""
                SELECT e.name, t.state_name, t.status, t.deliveries::text, t.lease_owner FROM baton.executions e
                LEFT JOIN baton.tasks t ON t.execution_id = e.id AND t.status IN ('available', 'running')
                WHERE e.status = 'RUNNING' ORDER BY e.id LIMIT 5
                """).map { row in try (0..<5).map { try row.decode($0, as: String?.self) ?? "-" }.joined(separator: " ") }
            Issue.record("stuck after the restart: \(stuck)\ncoordinator: \(coordinators[0].stderr.suffix(1500))\nworker: \(workers[0].stderr.suffix(1500))")
            throw error
        }
        print("PostgresRestartTests: \(finishedBefore) of \(count) executions had finished before the restart; the rest took \(ContinuousClock.now - restarted) after it")
        #expect(finishedBefore < count, "the restart came after the run; nothing was tested")
        #expect(try await h.count("SELECT count(*) FROM baton.executions WHERE status = 'SUCCEEDED'") == count)
        // Each execution's output carries all three results, and each task's result was applied once.
        let outputs = try await h.connection.query("SELECT name, output FROM baton.executions ORDER BY id")
        for row in outputs {
            let name = try row.decode(0, as: String.self), index = Int(name.dropFirst())!
            let expected: JSON = ["i": .int(index), "a": ["step": "A", "i": .int(index)], "b": ["step": "B", "i": .int(index)],
                                  "c": ["step": "C", "i": .int(index)]]
            #expect(try JSON(parsing: try row.decode(1, as: String?.self) ?? "null") == expected, "\(name)")
        }
        #expect(try await h.count("SELECT count(*) FROM baton.history_events WHERE type = 'TaskSucceeded'") == 3 * count)
        #expect(try await h.count("""
            SELECT count(*) FROM baton.executions e
            WHERE e.last_event_id <> (SELECT count(*) FROM baton.history_events h WHERE h.execution_id = e.id)
            """) == 0)
        #expect(try await h.count("SELECT count(*) FROM baton.tasks WHERE status IN ('available', 'running')") == 0)
        // Nobody died of the restart: every process is still running and stops cleanly.
        for process in coordinators + workers {
            #expect(process.exitStatus == nil, "exited with \(process.exitStatus ?? 0): \(process.stderr.suffix(1000))")
            process.send(SIGTERM)
        }
        for process in coordinators + workers { #expect(try await process.waitForExit() == 0) }
        await h.connection.close()
    }
}
