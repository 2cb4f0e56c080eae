// Every definition in the recorded conformance corpus was accepted by AWS, so the validator must find no
// problem in any of them, apart from the JSONata/variables features this version reports as not yet supported.
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

    @Test(.enabled(if: FileManager.default.fileExists(atPath: casesDirectory.path), "../shared/conformance is not present"))
    func everyRecordedDefinitionValidates() throws {
        let cases = Self.definitions()
        #expect(cases.count >= 1000)
        var unexpected: [String] = []
        var notYetSupported = 0
        for (name, text) in cases {
            let definition = try DefinitionLoader.load(text: text, fileName: "\(name)/definition.json")
            let diagnostics = DefinitionValidator.validate(definition)
            if diagnostics.contains(where: \.isNotYetSupported) { notYetSupported += 1 }
            for diagnostic in diagnostics where !diagnostic.isNotYetSupported {
                unexpected.append("\(name): \(diagnostic)")
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected diagnostics:\n\(unexpected.joined(separator: "\n"))")
        #expect(notYetSupported > 0)
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
