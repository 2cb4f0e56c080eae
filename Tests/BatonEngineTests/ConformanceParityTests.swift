// Issue 4's first test: the conformance corpus's cases without Lambda (JSONPath, and since issue 6 also
// JSONata, mixed-language and variables cases) through the distributed path give the same verdict per case
// as the local runner. The corpus's own runner runs twice: once with
// `baton run … --fast-timers` (local) and once with `baton run --database URL` against a coordinator
// running in this test process; the sets of failing cases must be equal.
import BatonEngine
import BatonTestSupport
import Foundation
import Testing

@Suite("Conformance parity") struct ConformanceParityTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let runner = packageRoot.appendingPathComponent("../shared/conformance/run-conformance").standardizedFileURL
    static var corpusPresent: Bool { FileManager.default.isExecutableFile(atPath: runner.path) }
    /// Nothing is left out any more: JSONata and variables run through the same core in both paths.
    static let excludedFeatures = ""

    @Test(.enabled(if: corpusPresent, "the conformance corpus ../shared/conformance is not present"), .timeLimit(.minutes(20)))
    func distributedVerdictsEqualLocalVerdicts() async throws {
        let h = try await EngineHarness.make(suite: "EngineConformanceParity")
        defer { Task { await h.connection.close() } }
        let baton = BatonProcess.binary.path
        let coordinator = h.startCoordinator(poll: .seconds(1), concurrency: 2)
        defer { coordinator.cancel() }
        let local = try await Self.verdicts(["--jobs", "2", "--", baton, "run", "--definition", "{definition}",
                                             "--input", "{input}", "--fast-timers"])
        let distributed = try await Self.verdicts(["--jobs", "4", "--timeout", "60", "--", baton, "run",
                                                   "--definition", "{definition}", "--input", "{input}",
                                                   "--database", try h.url])
        #expect(local.total > 900, "the corpus selection shrank: \(local.total) cases")
        #expect(distributed.total == local.total)
        let onlyDistributed = Set(distributed.failed.keys).subtracting(local.failed.keys)
        let onlyLocal = Set(local.failed.keys).subtracting(distributed.failed.keys)
        #expect(onlyDistributed.isEmpty, "fail only through the engine:\n\(onlyDistributed.sorted().map { "\($0): \(distributed.failed[$0] ?? "")" }.joined(separator: "\n"))")
        #expect(onlyLocal.isEmpty, "fail only locally: \(onlyLocal.sorted())")
        await stop(coordinator)
    }

    /// Runs the corpus runner with `arguments`, skipping cases with the `excluding` features; returns the
    /// failing cases (name → reason) and the case count.
    static func verdicts(_ arguments: [String], excluding: String = excludedFeatures) async throws
        -> (failed: [String: String], total: Int)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", runner.path, "-q", "--exclude-features", excluding] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("baton-parity-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        let done = LockedStatus()
        process.terminationHandler = { done.set($0.terminationStatus) }
        try process.run()
        try await waitUntil("the conformance runner to finish", timeout: .seconds(1100), poll: .milliseconds(200)) { done.value != nil }
        let text = try String(contentsOf: output, encoding: .utf8)
        var failed: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("FAIL ") {
            let parts = line.dropFirst(5).split(separator: " ", maxSplits: 1)
            failed[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let summary = try #require(text.split(separator: "\n").last { $0.hasSuffix(" failed") && $0.contains(" passed, ") },
                                   "no summary line in:\n\(text.suffix(2000))")
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (failed, numbers.reduce(0, +))
    }
}
