import ASLChoice
import ASLExpressions
import BatonJSON
import Testing

@Suite("Choice rule evaluation")
struct ChoiceEvaluationTests {
    static let values: [JSON] = [
        nil, 0, 0.0, 1, 1.1, "", " ", "HelloWorld", "2012-10-09T19:00:55Z", [], [""], [:], ["A": 0], true, false,
    ]

    @Test("a value of the wrong type never matches", arguments: [
        (#"{"Variable": "$.v", "NumericEquals": 1}"#, [JSON(1), JSON(1.0)]),
        (#"{"Variable": "$.v", "NumericGreaterThan": -1}"#, [0, 0.0, 1, 1.1]),
        (#"{"Variable": "$.v", "StringEquals": "HelloWorld"}"#, ["HelloWorld"]),
        (#"{"Variable": "$.v", "StringGreaterThanEquals": ""}"#, ["", " ", "HelloWorld", "2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "StringMatches": "*"}"#, ["", " ", "HelloWorld", "2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "BooleanEquals": true}"#, [true]),
        (#"{"Variable": "$.v", "BooleanEquals": false}"#, [false]),
        (#"{"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}"#, ["2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "TimestampLessThanEquals": "2100-01-01T00:00:00Z"}"#, ["2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "IsNull": true}"#, [nil]),
        (#"{"Variable": "$.v", "IsNumeric": true}"#, [0, 0.0, 1, 1.1]),
        (#"{"Variable": "$.v", "IsString": true}"#, ["", " ", "HelloWorld", "2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "IsBoolean": true}"#, [true, false]),
        (#"{"Variable": "$.v", "IsTimestamp": true}"#, ["2012-10-09T19:00:55Z"]),
        (#"{"Variable": "$.v", "IsPresent": true}"#, values),
    ] as [(String, [JSON])])
    func typeMismatches(_ rule: String, _ matching: [JSON]) throws {
        for value in Self.values {
            let result = try matches(rule, ["v": value])
            #expect(result == matching.contains(value), "\(rule) on \(value)")
        }
    }

    @Test func isOperatorsWithFalse() throws {
        #expect(try matches(#"{"Variable": "$.v", "IsNull": false}"#, ["v": 0]))
        #expect(try !matches(#"{"Variable": "$.v", "IsNull": false}"#, ["v": nil]))
        #expect(try matches(#"{"Variable": "$.v", "IsTimestamp": false}"#, ["v": "2012-10-09T19:00:55"]))
        #expect(try matches(#"{"Variable": "$.v", "IsTimestamp": false}"#, ["v": 5]))
        #expect(try matches(#"{"Variable": "$.v", "IsPresent": false}"#, ["w": 5]))
        #expect(try !matches(#"{"Variable": "$.v", "IsPresent": false}"#, ["v": nil]))
    }

    @Test func numbersCompareByValue() throws {
        #expect(try matches(#"{"Variable": "$.v", "NumericEquals": 1.0}"#, ["v": 1]))
        #expect(try matches(#"{"Variable": "$.v", "NumericEquals": 1}"#, ["v": 1.0]))
        #expect(try matches(#"{"Variable": "$.v", "NumericEquals": 1e2}"#, ["v": 100]))
        #expect(try matches(#"{"Variable": "$.v", "NumericLessThan": 2}"#, ["v": 1.999]))
        #expect(try matches(#"{"Variable": "$.v", "NumericGreaterThanEquals": -0.5}"#, ["v": -0.5]))
        #expect(try !matches(#"{"Variable": "$.v", "NumericLessThanEquals": 9007199254740992}"#, ["v": .number(.int(9_007_199_254_740_993))]))
        #expect(try matches(#"{"Variable": "$.v", "NumericEqualsPath": "$.w"}"#, ["v": 2.0, "w": 2]))
        #expect(try !matches(#"{"Variable": "$.v", "NumericEqualsPath": "$.w"}"#, ["v": 2, "w": "2"]))
        #expect(try !matches(#"{"Variable": "$.v", "NumericEqualsPath": "$.w"}"#, ["v": 1, "w": true]))
    }

    @Test func stringsCompareByCodeUnits() throws {
        #expect(try matches(#"{"Variable": "$.v", "StringLessThan": "b"}"#, ["v": "a"]))
        #expect(try matches(#"{"Variable": "$.v", "StringLessThan": "a"}"#, ["v": "B"]))
        #expect(try matches(#"{"Variable": "$.v", "StringLessThan": "AB"}"#, ["v": "A"]))
        #expect(try matches(#"{"Variable": "$.v", "StringGreaterThan": "A"}"#, ["v": "A "]))
        #expect(try !matches(#"{"Variable": "$.v", "StringEquals": "\t\r\n"}"#, ["v": "\t\n"]))
        // Canonically equivalent but different code points: not equal, as on AWS.
        #expect(try !matches(#"{"Variable": "$.v", "StringEquals": "\u00e9"}"#, ["v": "e\u{301}"]))
        // UTF-16 order: a supplementary-plane character (surrogates 0xD8..) sorts before U+FF5E.
        #expect(try matches(#"{"Variable": "$.v", "StringLessThan": "\uff5e"}"#, ["v": "😀"]))
        #expect(try matches(#"{"Variable": "$.v", "StringEqualsPath": "$.w"}"#, ["v": "x", "w": "x"]))
        #expect(try matches(#"{"Variable": "$.v", "StringMatches": "log-*.txt"}"#, ["v": "log-2024.txt"]))
        #expect(try !matches(#"{"Variable": "$.v", "StringMatches": "log-\\*.txt"}"#, ["v": "log-2024.txt"]))
        #expect(try matches(#"{"Variable": "$.v", "StringMatches": "log-\\*.txt"}"#, ["v": "log-*.txt"]))
    }

    @Test func timestampsCompareAsInstants() throws {
        let rule = #"{"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}"#
        #expect(try matches(rule, ["v": "2012-10-09T20:00:55+01:00"]))
        #expect(try matches(rule, ["v": "2012-10-09T19:00:55.000Z"]))
        #expect(try !matches(rule, ["v": "2012-10-09T19:00:55.001Z"]))
        #expect(try !matches(rule, ["v": "2012-10-09T19:00:55"]))
        #expect(try !matches(rule, ["v": "2012-10-09t19:00:55z"]))
        #expect(try matches(#"{"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:55.5Z"}"#, ["v": "2012-10-09T19:00:55.25Z"]))
        #expect(try matches(#"{"Variable": "$.v", "TimestampGreaterThan": "2012-10-09T19:00:55Z"}"#, ["v": "2012-10-09T19:00:55-00:01"]))
        #expect(try matches(#"{"Variable": "$.v", "TimestampGreaterThanEquals": "2012-10-09T19:00:55Z"}"#, ["v": "2012-10-09T19:00:55Z"]))
        let path = #"{"Variable": "$.v", "TimestampLessThanEqualsPath": "$.w"}"#
        #expect(try matches(path, ["v": "2012-10-09T19:00:55+02:00", "w": "2012-10-09T18:00:55+01:00"]))
        #expect(try !matches(path, ["v": "2012-10-09T19:00:55Z", "w": "not a timestamp"]))
        #expect(try !matches(path, ["v": "2012-10-09T19:00:55Z", "w": 5]))
    }

    @Test func booleans() throws {
        #expect(try matches(#"{"Variable": "$.v", "BooleanEquals": false}"#, ["v": false]))
        #expect(try matches(#"{"Variable": "$.v", "BooleanEqualsPath": "$.w"}"#, ["v": true, "w": true]))
        #expect(try !matches(#"{"Variable": "$.v", "BooleanEqualsPath": "$.w"}"#, ["v": true, "w": "true"]))
        #expect(try !matches(#"{"Variable": "$.v", "BooleanEqualsPath": "$.w"}"#, ["v": 1, "w": 1]))
    }

    @Test func combinators() throws {
        let and = #"{"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 20}, {"Variable": "$.n", "NumericLessThan": 30}]}"#
        #expect(try matches(and, ["n": 22]))
        #expect(try !matches(and, ["n": 30]))
        let or = #"{"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 2}]}"#
        #expect(try matches(or, ["n": 2]))
        #expect(try !matches(or, ["n": 3]))
        let not = #"{"Not": {"Variable": "$.type", "StringEquals": "Private"}}"#
        #expect(try matches(not, ["type": "Public"]))
        #expect(try !matches(not, ["type": "Private"]))
        let nested = #"{"Not": {"Or": [{"And": [{"Variable": "$.a", "BooleanEquals": true}]}, {"Not": {"Variable": "$.b", "IsNull": true}}]}}"#
        #expect(try matches(nested, ["a": false, "b": nil]))
        #expect(try !matches(nested, ["a": true, "b": nil]))
        #expect(try !matches(nested, ["a": false, "b": 1]))
    }

    @Test func combinatorsStopEarly() throws {
        // AWS documents IsPresent guarding a comparison of a field that might not exist.
        let guarded = #"{"And": [{"Variable": "$.maybe", "IsPresent": true}, {"Variable": "$.maybe", "StringEquals": "foo"}]}"#
        #expect(try !matches(guarded, [:]))
        #expect(try matches(guarded, ["maybe": "foo"]))
        let either = #"{"Or": [{"Variable": "$.maybe", "IsPresent": false}, {"Variable": "$.maybe", "NumericEquals": 1}]}"#
        #expect(try matches(either, [:]))
    }

    @Test func aVariableThatSelectsNothingFailsTheState() throws {
        for rule in [
            #"{"Variable": "$.missing", "NumericEquals": 1}"#,
            #"{"Variable": "$.missing", "IsNull": true}"#,
            #"{"Variable": "$.missing", "IsNull": false}"#,
            #"{"Variable": "$.missing", "IsString": false}"#,
            #"{"Not": {"Variable": "$.missing", "StringEquals": "x"}}"#,
        ] {
            let error = try #require(try evaluationError(rule, ["present": 1]), "\(rule)")
            #expect(error.name == .runtime)
            #expect(error.cause == "Invalid path '$.missing': The choice state's condition path references an invalid value.")
        }
    }

    @Test func anOperandPathThatSelectsNothingFailsTheState() throws {
        let error = try #require(try evaluationError(#"{"Variable": "$.v", "NumericEqualsPath": "$.limit"}"#, ["v": 1]))
        #expect(error.name == .runtime)
        #expect(error.cause == "Invalid path '$.limit': The choice state's condition path references an invalid value.")
    }

    @Test func pathsReachIntoArraysAndTheRoot() throws {
        #expect(try matches(#"{"Variable": "$.items[1].name", "StringEquals": "b"}"#, ["items": [["name": "a"], ["name": "b"]]]))
        #expect(try matches(#"{"Variable": "$['odd key']", "NumericEquals": 3}"#, ["odd key": 3]))
        #expect(try matches(#"{"Variable": "$", "StringEquals": "whole"}"#, "whole"))
        #expect(try matches(#"{"Variable": "$", "IsNumeric": true}"#, 5))
        let error = try #require(try evaluationError(#"{"Variable": "$.items[5]", "IsNull": true}"#, ["items": [1]]))
        #expect(error.name == .runtime)
    }

    @Test func workflowVariablesAreReadable() throws {
        let parsed = try branch(#"{"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "X"}"#)
        let scope = ExpressionScope(input: [:], context: [:], variables: ["guess": "42", "answer": "42"])
        #expect(try parsed.rule.evaluate(in: scope))
        let missing = ExpressionScope(input: [:], context: [:], variables: ["guess": "42"])
        #expect(throws: ASLError.self) { try parsed.rule.evaluate(in: missing) }
    }

    @Test func theContextObjectIsReadable() throws {
        let hyphen = try branch(#"{"Variable": "$$.Execution.Input.input-value", "NumericLessThanEquals": 0, "Next": "Q"}"#)
        #expect(try hyphen.rule.evaluate(in: ExpressionScope(input: [:], context: ["Execution": ["Input": ["input-value": 0]]], variables: [:])))
        let parsed = try branch(#"{"Variable": "$$.Execution.Name", "StringEquals": "run-1", "Next": "X"}"#)
        let scope = ExpressionScope(input: [:], context: ["Execution": ["Name": "run-1"]], variables: [:])
        #expect(try parsed.rule.evaluate(in: scope))
        #expect(parsed.next == "X")
    }
}
