// The JSONata, mixed-language and variables cases of the conformance corpus (every case whose features
// include JSONata, MixedQueryLanguage, Assign or VariableReferences), Lambda cases included, through
// `baton run` with the handler scripts in lambdas/. The runner's --features selects cases having all the
// given features, so the selection is a temporary corpus folder of links to the chosen cases.

import BatonJSON
import Foundation
import Testing

@Suite struct ConformanceJSONataTests {
    /// The features that put a case in this selection.
    static let features: Set<String> = ["JSONata", "MixedQueryLanguage", "Assign", "VariableReferences"]

    /// A corpus folder (`cases/NAME` links) holding the selected cases; the caller removes it.
    static func selection() throws -> (folder: URL, count: Int) {
        let index = try JSON(parsing: String(contentsOf: ConformanceSetup.corpus.appendingPathComponent("index.json"), encoding: .utf8))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-jsonata-corpus-\(UUID().uuidString)")
        let cases = folder.appendingPathComponent("cases")
        try FileManager.default.createDirectory(at: cases, withIntermediateDirectories: true)
        var count = 0
        for entry in index.arrayValue ?? [] {
            let caseFeatures = Set((entry["features"]?.arrayValue ?? []).compactMap(\.stringValue))
            guard !caseFeatures.isDisjoint(with: features), let name = entry["name"]?.stringValue else { continue }
            try FileManager.default.createSymbolicLink(
                at: cases.appendingPathComponent(name),
                withDestinationURL: ConformanceSetup.corpus.appendingPathComponent("cases").appendingPathComponent(name))
            count += 1
        }
        return (folder, count)
    }

    @Test(.enabled(if: ConformanceSetup.corpusPresent, "the conformance corpus ../shared/conformance is not present"),
          .timeLimit(.minutes(20)))
    func jsonataAndVariablesCasesPassAtLeastTheRecordedFloor() async throws {
        let baton = ConformanceSetup.baton
        try #require(FileManager.default.isExecutableFile(atPath: baton), "no baton binary at \(baton); run `swift build` or set BATON_BIN")
        let floor = try ConformanceSetup.floor("conformance-jsonata-floor.txt")
        let (folder, count) = try Self.selection()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(count >= 170, "the selection shrank: \(count) cases")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("lambdas/run-with-lambdas.sh")
        let result = try await ConformanceSetup.runCorpus(["--cases", folder.path, "--with-lambda", "--timeout", "90", "--",
                                                     script.path, baton, "{case}"])
        #expect(result.passed >= floor, "only \(result.passed) cases passed, below the floor of \(floor):\n\(result.failures)")
    }
}
