// `baton bench` end to end on tiny sizes against the suite's database, so the benchmark cannot rot: it
// starts its worker and coordinator processes, runs every scenario, prints its table (or JSON) and cleans up.
// Not a timed test: only that each figure is there and the executions all succeeded.
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("baton bench") struct BenchCommandTests {
    @Test func tinyBenchmarkPrintsEveryFigureAndCleansUp() async throws {
        let h = try await EngineHarness.make(suite: "BenchCommand")
        defer { Task { await h.connection.close() } }
        let result = try await runBaton(
            ["bench", "--database", try h.url, "--executions", "20", "--paced-executions", "20", "--paced-rate", "50",
             "--map-items", "50", "--worker-concurrency", "8", "--log-level", "warning"],
            timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for metric in ["idle worker resident size", "executions/s", "task-state transitions/s", "dispatch p50", "dispatch p99",
                       "result → next task ready p50", "Map over 50 items, MaxConcurrency 0: wall time",
                       "Map over 50 items, MaxConcurrency 1000: wall time", "coordinator peak resident size"] {
            #expect(lines.contains { $0.contains(metric) }, "no line for \(metric) in:\n\(result.stdout)")
        }
        // Every execution succeeded (a shortfall is reported as a note) and nothing is left behind.
        #expect(!result.stdout.contains("by status") && !result.stdout.contains("note: fan-out"), "\(result.stdout)")
        #expect(try await h.count("SELECT count(*) FROM baton.executions") == 0)
        #expect(try await h.count("SELECT count(*) FROM baton.state_machines") == 0)
    }

    @Test func jsonReportHasTheFiguresWithTargets() async throws {
        let h = try await EngineHarness.make(suite: "BenchCommandJSON")
        defer { Task { await h.connection.close() } }
        let result = try await runBaton(
            ["bench", "--database", try h.url, "--executions", "10", "--paced-executions", "0", "--map-items", "0",
             "--peer-jobs-per-second", "1", "--json", "--log-level", "warning"],
            timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSON(parsing: result.stdout)
        let figures = report["figures"]?.arrayValue ?? []
        let transitions = try #require(figures.first { $0["metric"] == "task-state transitions/s" })
        #expect((transitions["value"]?.doubleValue ?? 0) > 0)
        #expect(transitions["target"]?["comparison"] == "atLeast")
        #expect(report["server"]?["synchronous_commit"] != nil)
        #expect(!figures.contains { $0["scenario"] == "latency" || $0["scenario"] == "fan-out" })
    }
}

@Suite("baton bench core") struct CoreBenchCommandTests {
    /// The interpreter-only benchmark needs no database: tiny sizes, every figure printed, both runs succeeded.
    @Test func tinyCoreBenchmarkPrintsItsFigures() async throws {
        let result = try await runBaton(["bench", "core", "--pass-states", "200", "--map-items", "100"])
        #expect(result.status == 0, "\(result.stderr)")
        for metric in ["Pass chain: state transitions/s (402 history events)", "Map over 100 items", "peak resident size"] {
            #expect(result.stdout.contains(metric), "no line for \(metric) in:\n\(result.stdout)")
        }
        #expect(!result.stdout.contains("note:"), "\(result.stdout)")
    }
}
