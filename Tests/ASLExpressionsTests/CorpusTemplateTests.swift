// Runs the conformance cases that are a single Pass state with `Parameters` (most of the
// intrinsic-function and path cases) through PayloadTemplate alone, comparing with the output AWS
// recorded. The corpus lives in ../shared/conformance relative to the package root; the suite is
// skipped when it is absent.

import BatonJSON
import Foundation
import Testing

@testable import ASLExpressions

private let corpus: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
    }
    return url.appendingPathComponent("../shared/conformance/cases").standardizedFileURL
}()

private func load(_ url: URL) throws -> JSON { try JSON(parsing: Array(try Data(contentsOf: url))) }

/// A case whose whole definition is one Pass state with Parameters and nothing else that matters.
struct TemplateCase: CustomTestStringConvertible, Sendable {
    let name: String
    let parameters: JSON
    let input: JSON
    let expected: JSON
    var testDescription: String { name }
}

private func templateCases() -> [TemplateCase] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path) else { return [] }
    var cases: [TemplateCase] = []
    for name in names.sorted() {
        let dir = corpus.appendingPathComponent(name)
        guard let definition = try? load(dir.appendingPathComponent("definition.json")),
            let expected = try? load(dir.appendingPathComponent("expected.json")),
            let input = try? load(dir.appendingPathComponent("input.json")),
            expected["status"] == "SUCCEEDED", expected["placeholders"] == nil,
            let states = definition["States"]?.objectValue, states.count == 1,
            let state = states.values.first?.objectValue, state["Type"] == "Pass",
            let parameters = state["Parameters"],
            Set(state.keys).isSubset(of: ["Type", "Parameters", "End", "Comment"]),
            definition["QueryLanguage"] == nil,
            !parameters.serialized().contains("States.MathRandom"), !parameters.serialized().contains("States.UUID")
        else { continue }
        cases.append(TemplateCase(name: name, parameters: parameters, input: input, expected: expected["output"] ?? .null))
    }
    return cases
}

@Suite struct CorpusTemplateTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func thereAreEnoughCases() {
        #expect(templateCases().count > 80)
    }

    @Test(arguments: templateCases())
    func matchesTheRecordedOutput(_ testCase: TemplateCase) throws {
        let template = try PayloadTemplate(testCase.parameters)
        var random = SeededRandom(seed: 7)
        let context: JSON = ["Execution": ["Input": testCase.input]]
        let output = try template.evaluate(in: ExpressionScope(input: testCase.input, context: context), random: &random)
        #expect(output == testCase.expected)
    }
}
