// Every definition in the recorded conformance corpus was accepted by AWS, so the validator must find no
// problem in any of them, apart from the workflow variables this version reports as not yet supported.
import ASLDocument
import BatonJSON
import Foundation
import Testing

@Suite struct ConformanceDefinitionsTests {
    static let casesDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance/cases")

    static func definitions() -> [(name: String, text: String)] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: casesDirectory.path) else { return [] }
        return names.sorted().compactMap { name in
            let url = casesDirectory.appendingPathComponent(name).appendingPathComponent("definition.json")
            guard let data = fm.contents(atPath: url.path) else { return nil }
            return (name, String(decoding: data, as: UTF8.self))
        }
    }

    /// The cases whose features (index.json) include workflow variables.
    static func laterIssueCases() throws -> Set<String> {
        let url = casesDirectory.deletingLastPathComponent().appendingPathComponent("index.json")
        let index = try JSON(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        let later: Set<String> = ["Assign", "VariableReferences"]
        var names: Set<String> = []
        for entry in index.arrayValue ?? [] {
            let features = Set((entry["features"]?.arrayValue ?? []).compactMap(\.stringValue))
            if !features.isDisjoint(with: later), let name = entry["name"]?.stringValue { names.insert(name) }
        }
        return names
    }

    /// Definitions without variables have no problem at all; each definition with variables has a
    /// "not yet supported" diagnostic and no other.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: casesDirectory.path), "../shared/conformance is not present"))
    func everyRecordedDefinitionValidates() throws {
        let cases = Self.definitions()
        let later = try Self.laterIssueCases()
        #expect(cases.count >= 1000)
        #expect(later.count >= 50)
        var unexpected: [String] = []
        for (name, text) in cases {
            let definition = try DefinitionLoader.load(text: text, fileName: "\(name)/definition.json")
            let diagnostics = DefinitionValidator.validate(definition, options: .init(allowVariables: false))
            for diagnostic in diagnostics where !diagnostic.isNotYetSupported {
                unexpected.append("\(name): \(diagnostic)")
            }
            let flagged = diagnostics.contains(where: \.isNotYetSupported)
            if flagged != later.contains(name) {
                unexpected.append("\(name): \(flagged ? "reported as not yet supported" : "uses variables but validates")")
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected diagnostics:\n\(unexpected.joined(separator: "\n"))")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: casesDirectory.path), "../shared/conformance is not present"))
    func jsonataAndVariablesAreAcceptedWhenEnabled() throws {
        var unexpected: [String] = []
        for (name, text) in Self.definitions() {
            let definition = try DefinitionLoader.load(text: text)
            let diagnostics = DefinitionValidator.validate(definition, options: .init(allowJSONata: true, allowVariables: true))
            unexpected += diagnostics.map { "\(name): \($0)" }
        }
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected diagnostics:\n\(unexpected.joined(separator: "\n"))")
    }
}
