import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct IntrinsicParserTests {
    @Test func literalsOfEveryKind() throws {
        #expect(try call("States.Array('a', 1, -2.5, 1e3, true, false, null)") == ["a", 1, -2.5, 1000.0, true, false, nil])
        #expect(try call("States.Array()") == [])
        #expect(try call("States.Array( 'x' ,  2 )") == ["x", 2])
    }

    @Test func stringEscapes() throws {
        #expect(try call(#"States.Array('it\'s', 'a\\b', '\{\}')"#) == ["it's", "a\\b", "{}"])
        #expect(try call("States.Array('Hello\nWorld')") == ["Hello\nWorld"])
    }

    @Test func pathArguments() throws {
        let input = #"{"a": {"b c": [1, 2, 3]}, "s": "x,y"}"#
        #expect(try call("States.Array($.a['b c'][1], $.s)", input: input) == [2, "x,y"])
        #expect(try call("States.ArrayLength($.a['b c'][?(@ > 1)])", input: input) == 2)
        #expect(try call("States.Array($)", input: #"{"k": 1}"#) == [["k": 1]])
        var random = SeededRandom(seed: 1)
        let scope = ExpressionScope(input: .null, context: ["Execution": ["Name": "run-1"]], variables: ["v": 5])
        #expect(try IntrinsicCall("States.Array($$.Execution.Name, $v)").evaluate(in: scope, random: &random) == ["run-1", 5])
    }

    @Test func nestedCalls() throws {
        // Recorded against AWS (intrinsic_functions.generic.nested_calls_2).
        let text = "States.ArrayGetItem(States.StringSplit($.name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.name, '-')), -1))"
        #expect(try call(text, input: #"{"name": "a-b-c"}"#) == "c")
    }

    @Test func nestingIsLimitedToTenLevels() {
        let ten = String(repeating: "States.Array(", count: 10) + String(repeating: ")", count: 10)
        #expect(syntaxError(ten) == nil)
        let eleven = String(repeating: "States.Array(", count: 11) + String(repeating: ")", count: 11)
        #expect(syntaxError(eleven)?.contains("at most 10") == true)
    }

    @Test func syntaxErrors() {
        let cases: [(String, String)] = [
            ("States.Nope(1)", "unknown intrinsic function 'States.Nope'"),
            ("States.Array", "expected '(' after States.Array"),
            ("States.Array(1", "missing ')'"),
            ("States.Array(1 2)", "expected ',' or ')'"),
            ("States.Array('abc)", "unterminated string literal"),
            ("States.Array(abc)", "unexpected character 'a'"),
            ("States.Array(1) x", "unexpected text after"),
            ("States.Array($.a[)", "invalid path argument"),
            ("States.UUID(1)", "States.UUID takes 0 arguments, but 1 was given"),
            ("States.ArrayRange(1, 2)", "States.ArrayRange takes 3 arguments, but 2 were given"),
            ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments"),
            ("States.Format()", "States.Format takes at least 1 argument"),
            ("States.Format('{} {}', 1)", "2 placeholder(s) '{}' but 1 argument(s)"),
            ("States.ArrayLength('abc')", "must be an array, not the string \"abc\""),
            ("States.MathAdd('1', 2)", "must be a number"),
            ("States.Hash('a', 'SHA-3')", "does not support the algorithm 'SHA-3'"),
            ("States.JsonMerge($.a, $.b, true)", "shallow merge"),
        ]
        for (text, fragment) in cases {
            let message = syntaxError(text)
            #expect(message?.contains(fragment) == true, "\(text): \(message ?? "parsed")")
        }
    }

    @Test func aPathArgumentThatSelectsNothingIsARuntimeError() throws {
        let error = try callError("States.Array($.missing)", input: #"{"a": 1}"#)
        #expect(error == ASLError(.runtime, #"The JSONPath '$.missing' specified for the field 'States.Array($.missing)' could not be found in the input '{"a":1}'"#))
        var random = SeededRandom(seed: 1)
        let parsed = try IntrinsicCall("States.Array($.missing)")
        let scope = ExpressionScope(input: json(#"{"a": 1}"#))
        let withField = aslError { () throws(ASLError) in try parsed.evaluate(in: scope, random: &random, field: "x.$") }
        #expect(withField?.cause.contains("specified for the field 'x.$'") == true)
    }

    @Test func describesItself() throws {
        let parsed = try IntrinsicCall("States.Format('{}', $.a)")
        #expect(parsed.functionName == "States.Format")
        #expect(parsed.description == "States.Format('{}', $.a)")
        #expect(parsed.paths.map(\.text) == ["$.a"])
    }
}
