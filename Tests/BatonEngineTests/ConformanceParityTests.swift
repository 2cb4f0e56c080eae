// Issue 4's first test: the conformance corpus through the distributed path gives the same verdict per case
// as the local runner. The corpus's own runner runs twice: once with `baton run … --fast-timers` (local) and
// once with `baton run --database URL` against a coordinator; the sets of failing cases must be equal.
// - the cases without Lambda (JSONPath, and since issue 6 also JSONata, mixed-language and variables cases),
//   against a coordinator running in this test process;
// - every case with Lambda functions (93), against a coordinator process and one `baton worker --exec`
//   process per function name, serving the same handler scripts (Tests/ConformanceTests/lambdas) that
//   `baton run --function` runs locally.
import BatonEngine
import BatonJSON
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
    static let lambdas = packageRoot.appendingPathComponent("Tests/ConformanceTests/lambdas")

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

    @Test(.enabled(if: corpusPresent, "the conformance corpus ../shared/conformance is not present"), .timeLimit(.minutes(10)))
    func lambdaCasesThroughExecWorkersGiveTheLocalVerdicts() async throws {
        let h = try await EngineHarness.make(suite: "EngineLambdaParity")
        defer { Task { await h.connection.close() } }
        let url = try h.url
        let baton = BatonProcess.binary.path, script = Self.lambdas.appendingPathComponent("run-with-lambdas.sh").path
        let coordinator = try BatonProcess(["coordinator", "--database", url, "--concurrency", "2", "--poll-seconds", "1",
                                            "--log-level", "warning"])
        let handlers = try Self.lambdaHandlers()
        #expect(handlers.count >= 9, "the corpus names fewer Lambda functions than expected: \(handlers.keys.sorted())")
        let workers = try handlers.sorted { $0.key < $1.key }.map { name, handler in
            try BatonProcess(["worker", "--database", url, "--function", name, "--exec", handler, "--concurrency", "4",
                              "--poll-seconds", "1", "--log-level", "warning"])
        }
        let local = try await Self.verdicts(["--only-lambda", "--jobs", "2", "--timeout", "90", "--", script, baton, "{case}"],
                                            excluding: "")
        // The two cases whose function exists nowhere wait for a worker until the runner's timeout.
        let distributed = try await Self.verdicts(["--only-lambda", "--jobs", "4", "--timeout", "30", "--", script, baton,
                                                   "{case}", "--database", url], excluding: "")
        #expect(local.total >= 93, "the Lambda selection shrank: \(local.total) cases")
        #expect(distributed.total == local.total)
        let onlyDistributed = Set(distributed.failed.keys).subtracting(local.failed.keys)
        let onlyLocal = Set(local.failed.keys).subtracting(distributed.failed.keys)
        #expect(onlyDistributed.isEmpty, "fail only through the engine:\n\(onlyDistributed.sorted().map { "\($0): \(distributed.failed[$0] ?? "")" }.joined(separator: "\n"))")
        #expect(onlyLocal.isEmpty, "fail only locally: \(onlyLocal.sorted())")
        print("ConformanceParityTests: \(local.total - local.failed.count) of \(local.total) Lambda cases pass locally, \(distributed.total - distributed.failed.count) through the engine")
        for process in workers + [coordinator] {
            #expect(process.exitStatus == nil, "a process died: \(process.stderr.suffix(1000))")
            process.send(SIGTERM)
        }
        for process in workers + [coordinator] { #expect(try await process.waitForExit(timeout: .seconds(60)) == 0) }
    }

    /// Function name → handler script, for every Lambda function a corpus case names and a script serves
    /// (the `needs` of its meta.json, as run-with-lambdas.sh maps them).
    static func lambdaHandlers() throws -> [String: String] {
        let cases = runner.deletingLastPathComponent().appendingPathComponent("cases")
        var handlers: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: cases.path) {
            let meta = cases.appendingPathComponent(name).appendingPathComponent("meta.json")
            guard let data = FileManager.default.contents(atPath: meta.path) else { continue }
            for function in try JSON(parsing: String(decoding: data, as: UTF8.self))["lambda_functions"]?.arrayValue ?? [] {
                guard let functionName = function["function_name"]?.stringValue,
                      let needs = function["needs"]?.stringValue?.split(separator: ":", maxSplits: 1).last else { continue }
                let handler = lambdas.appendingPathComponent("\(needs).sh").path
                if FileManager.default.isExecutableFile(atPath: handler) { handlers[functionName] = handler }
            }
        }
        return handlers
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
