// Runs the AWS-recorded conformance corpus (../shared/conformance relative to the package root) through
// `baton run` with the reference runner, and fails when fewer cases pass than the floor recorded next to this
// file: conformance-floor.txt for the JSONPath-mode cases, conformance-jsonata-floor.txt for the JSONata,
// mixed-language and variables cases (ConformanceJSONataTests.swift).
// The debug `baton` binary is used (build it first: `swift build`), or the one named by BATON_BIN.

import BatonTestSupport
import Foundation
import Testing

enum ConformanceSetup {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let corpus = packageRoot.appendingPathComponent("../shared/conformance").standardizedFileURL
    static let runner = corpus.appendingPathComponent("run-conformance")
    static var corpusPresent: Bool { FileManager.default.isExecutableFile(atPath: runner.path) }
    static var baton: String {
        ProcessInfo.processInfo.environment["BATON_BIN"] ?? packageRoot.appendingPathComponent(".build/debug/baton").path
    }
    static let excludedFeatures = "JSONata,MixedQueryLanguage,Assign,VariableReferences"
}

@Suite struct ConformanceTests {
    @Test(.enabled(if: ConformanceSetup.corpusPresent, "the conformance corpus ../shared/conformance is not present"),
          .timeLimit(.minutes(20)))
    func jsonPathCasesPassAtLeastTheRecordedFloor() async throws {
        let baton = ConformanceSetup.baton
        try #require(FileManager.default.isExecutableFile(atPath: baton), "no baton binary at \(baton); run `swift build` or set BATON_BIN")
        let floor = try ConformanceSetup.floor("conformance-floor.txt")
        let result = try await ConformanceSetup.runCorpus(["--exclude-features", ConformanceSetup.excludedFeatures, "--",
                                                     baton, "run", "--definition", "{definition}", "--input", "{input}", "--fast-timers",
                                                     "--type", "{type}"])
        #expect(result.passed >= floor, "only \(result.passed) cases passed, below the floor of \(floor):\n\(result.failures)")
    }
}

extension ConformanceSetup {
    /// The number in the floor file `name` next to this file.
    static func floor(_ name: String) throws -> Int {
        let text = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent(name), encoding: .utf8)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(name) holds no number")
    }

    /// Runs the reference runner (`-q --jobs 2` and `arguments`); returns the passed count and the FAIL lines.
    /// The wait for the runner happens on a thread of its own (see BatonTestSupport's `onOwnThread`).
    static func runCorpus(_ arguments: [String]) async throws -> (passed: Int, failures: String) {
        let text = try await onOwnThread { try runnerOutput(arguments) }
        let lines = text.split(separator: "\n").map(String.init)
        let summary = try #require(lines.last { $0.hasSuffix(" failed") && $0.contains(" passed, ") }, "no summary line in:\n\(text)")
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 2, "unexpected summary line: \(summary)")
        return (numbers[0], lines.filter { $0.hasPrefix("FAIL ") }.joined(separator: "\n"))
    }

    /// The runner's whole output (blocking until it exits).
    private static func runnerOutput(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", runner.path, "-q", "--jobs", "2"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
