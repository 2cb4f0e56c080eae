// Runs the Choice-operator cases of the AWS-recorded conformance corpus (../shared/conformance, relative to
// the package root) through the parser and evaluator directly: each case is a Choice state whose branches
// lead to Pass states with a fixed `Result`, so the state AWS chose can be read off the recorded output.

import ASLChoice
import ASLExpressions
import BatonJSON
import Foundation
import Testing

enum ChoiceCorpus {
    static let casesFolder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/conformance/cases").standardized

    static var isPresent: Bool { FileManager.default.fileExists(atPath: casesFolder.path) }

    static func caseNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: casesFolder.path)) ?? []
        return names.filter { $0.hasPrefix("choice_operators.") }.sorted()
    }

    static func load(_ name: String, _ file: String) throws -> JSON {
        let url = casesFolder.appendingPathComponent(name).appendingPathComponent(file)
        return try JSON(parsing: try Data(contentsOf: url))
    }
}

@Suite("AWS-recorded Choice cases", .enabled(if: ChoiceCorpus.isPresent, "the conformance corpus is not at ../shared"))
struct ConformanceCorpusTests {
    @Test func thereAreCases() {
        #expect(ChoiceCorpus.caseNames().count >= 490)
    }

    @Test("choice_operators case", arguments: ChoiceCorpus.caseNames())
    func recordedCase(_ name: String) throws {
        let definition = try ChoiceCorpus.load(name, "definition.json")
        let input = try ChoiceCorpus.load(name, "input.json")
        let expected = try ChoiceCorpus.load(name, "expected.json")
        let start = try #require(definition["StartAt"]?.stringValue)
        let states = try #require(definition["States"])
        let choice = try #require(states[start])
        let rules = try #require(choice["Choices"]?.arrayValue)

        var chosen: String? = nil
        let scope = ExpressionScope(input: input, context: [:], variables: [:])
        for (index, json) in rules.enumerated() {
            let branch = try ChoiceRule.parseBranch(json, location: "/States/\(start)/Choices/\(index)")
            if try branch.rule.evaluate(in: scope) {
                chosen = branch.next
                break
            }
        }
        let target = try #require(chosen ?? choice["Default"]?.stringValue)
        #expect(expected["status"] == "SUCCEEDED")
        #expect(states[target]?["Result"] == expected["output"], "\(name) went to \(target)")
    }
}
