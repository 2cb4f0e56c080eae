// `baton validate` as a real process (the built .build/debug/baton): its exit codes (0 valid, 1 problems,
// 2 unreadable), one LOCATION: MESSAGE line per problem, and the JSON shape of `--output json`.
import BatonTestSupport
import Foundation
import Testing

@Suite("baton validate") struct ValidateCommandTests {
    /// Writes `text` to a fresh file named `name` and returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let broken = #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Wait","End":true,"Seconds":1}}}"#

    @Test func aValidDefinitionPrintsOKAndExitsZero() async throws {
        let path = try Self.file("hello.yaml", "StartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    End: true\n")
        let result = try await runBaton(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("OK: "))
    }

    @Test func everyProblemIsPrintedWithItsJSONPointerAndTheExitCodeIsOne() async throws {
        let path = try Self.file("broken.json", Self.broken)
        let result = try await runBaton(["validate", path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("/States/A/Next: ") && $0.contains("Nowhere") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("/States/B: ") && $0.contains("unreachable") }, "\(lines)")
    }

    @Test func jsonOutputCarriesResultAndDiagnostics() async throws {
        let path = try Self.file("broken.json", Self.broken)
        let result = try await runBaton(["validate", path, "--output", "json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["result"] as? String == "FAIL")
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.contains { $0["location"] as? String == "/States/A/Next" && $0["severity"] as? String == "ERROR" })
    }

    @Test func unreadableJSONExitsTwoWithFileLineAndColumn() async throws {
        let path = try Self.file("truncated.json", "{\"StartAt\": \n")
        let result = try await runBaton(["validate", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path):2:1: invalid JSON"), "\(result.stderr)")
    }

    @Test func substitutionsAreAppliedBeforeValidation() async throws {
        let path = try Self.file("sub.json", #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"${Next}"},"B":{"Type":"Succeed"}}}"#)
        let missing = try await runBaton(["validate", path])
        #expect(missing.status != 0)
        let given = try await runBaton(["validate", path, "--substitute", "Next=B"])
        #expect(given.status == 0, "\(given.stdout)\(given.stderr)")
    }
}
