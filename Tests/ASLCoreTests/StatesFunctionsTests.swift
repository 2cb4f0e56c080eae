// The functions Step Functions adds to JSONata, through a JSONata-mode Pass state (the values as AWS records them).
import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct StatesFunctionsTests {
    func evaluate(_ expression: String, input: JSON = [:], seed: UInt64 = 42) throws -> RunOutcome {
        let output = JSON.string("{% \(expression) %}").serialized()
        let definition = JSON.parse(#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":\#(output),"End":true}}}"#)
        var driver = try TestDriver(definition, input: input)
        driver.seed = seed
        return driver.run()
    }

    @Test(arguments: [
        ("$partition([0, 1, 2, 3], 1)", "[[0],[1],[2],[3]]"),
        ("$partition([0, 1, 2, 3], 5)", "[[0,1,2,3]]"),
        ("$partition([0], 1)", "[[0]]"),
        ("$partition([1, 2, 3], 2)", "[[1,2],[3]]"),
        ("$range(0, 9, 3)", "[0,3,6,9]"),
        ("$range(0, 10, 3)", "[0,3,6,9]"),
        ("$range(1, 9, 9)", "1"),
        ("$parse('[1,2,\"HelloWorld\"]')", "[1,2,\"HelloWorld\"]"),
        ("$parse('{\"Arg1\":1}')", "{\"Arg1\":1}"),
        ("$hash('input data', 'SHA-1')", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""),
        ("$hash('input data', 'MD5')", "\"812f45842bc6d66ee14572ce20db8e86\""),
    ])
    func values(expression: String, expected: String) throws {
        #expect(try evaluate(expression) == .succeeded(.parse(expected)))
    }

    @Test func randomWithASeedIsRepeatableAndInTheUnitInterval() throws {
        guard case .succeeded(let first) = try evaluate("$random(7)", seed: 1),
              case .succeeded(let second) = try evaluate("$random(7)", seed: 2),
              case .succeeded(let unseeded) = try evaluate("$random()") else {
            Issue.record("expected numbers")
            return
        }
        #expect(first == second)
        for value in [first, unseeded] {
            let number = try #require(value.doubleValue)
            #expect(number >= 0 && number < 1)
        }
    }

    @Test func uuidIsAVersion4UUIDDrawnFromTheStepSeed() throws {
        guard case .succeeded(.string(let a)) = try evaluate("$uuid()", seed: 5),
              case .succeeded(.string(let b)) = try evaluate("$uuid()", seed: 5),
              case .succeeded(.string(let c)) = try evaluate("$uuid()", seed: 6) else {
            Issue.record("expected strings")
            return
        }
        #expect(a == b && a != c)
        #expect(a.count == 36 && Array(a)[14] == "4")
    }

    @Test func badArgumentsAreQueryEvaluationErrors() throws {
        for expression in ["$partition([1], 0)", "$hash('x', 'SHA-3')", "$parse('{')", "$range(0, 1, 0)"] {
            guard case .failed(let failure) = try evaluate(expression) else {
                Issue.record("\(expression) should fail")
                continue
            }
            #expect(failure.error == "States.QueryEvaluationError")
            #expect(failure.cause?.contains("threw an error during evaluation") == true)
        }
    }
}
