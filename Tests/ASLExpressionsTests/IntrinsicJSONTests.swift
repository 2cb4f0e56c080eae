import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct JSONIntrinsicTests {
    @Test func stringToJson() throws {
        // Recorded against AWS (intrinsic_functions.json_manipulation.string_to_json.*).
        let cases: [(String, JSON)] = [
            ("", nil), (" ", nil), ("null", nil), ("-0", 0), ("1", 1), ("1.1", 1.1), ("true", true),
            ("\"HelloWorld\"", "HelloWorld"), ("[1, 2, \"HelloWorld\"]", [1, 2, "HelloWorld"]),
            ("{\"Arg1\": 1, \"Arg2\": []}", ["Arg1": 1, "Arg2": []]),
        ]
        for (text, value) in cases {
            let input = JSON.object(["s": .string(text)]).serialized()
            #expect(try call("States.StringToJson($.s)", input: input) == value, "\(text)")
        }
        #expect(try call(#"States.StringToJson('{"a": [1]}')"#) == ["a": [1]])
    }

    @Test func stringToJsonBadArguments() throws {
        #expect(try callError("States.StringToJson($.s)", input: #"{"s": "{oops"}"#)?.name == .intrinsicFailure)
        #expect(try callError("States.StringToJson($.s)", input: #"{"s": "{oops"}"#)?.cause.hasPrefix("Invalid arguments in States.StringToJson: the argument is not valid JSON") == true)
        #expect(try callError("States.StringToJson($.s)", input: #"{"s": {}}"#)?.name == .intrinsicFailure)
    }

    @Test func jsonToString() throws {
        // Recorded against AWS (intrinsic_functions.json_manipulation.json_to_string.*).
        let cases: [(String, String)] = [
            ("null", "null"), ("0", "0"), ("1", "1"), ("1.1", "1.1"), ("true", "true"), ("\"HelloWorld\"", "\"HelloWorld\""),
            ("[1, 2, \"HelloWorld\"]", "[1,2,\"HelloWorld\"]"), ("{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\":1,\"Arg2\":[]}"),
        ]
        for (value, text) in cases {
            #expect(try call("States.JsonToString($.v)", input: "{\"v\": \(value)}") == .string(text), "\(value)")
        }
    }

    @Test func jsonToStringKeepsKeyOrderAndWritesDoublesAsJava() throws {
        #expect(try call("States.JsonToString($.v)", input: #"{"v": {"z": 1.0, "a": 1e10, "m": "é/\n"}}"#) == .string(#"{"z":1.0,"a":1.0E10,"m":"é/\n"}"#))
        #expect(try call("States.JsonToString($.v)", input: #"{"v": ["\u001f\t\"\\"]}"#) == .string(#"["\u001F\t\"\\"]"#))
    }

    @Test func jsonMerge() throws {
        // Recorded against AWS (intrinsic_functions.json_manipulation.json_merge).
        let input = #"{"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}"#
        let merged = try call("States.JsonMerge($.a, $.b, false)", input: input)
        #expect(merged.serialized() == #"{"a":{"a3":1,"a4":2},"b":2,"d":4,"c":3}"#)
    }

    @Test func jsonMergeBadArguments() throws {
        #expect(try callError("States.JsonMerge($.a, $.b, $.deep)", input: #"{"a": {}, "b": {}, "deep": true}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.JsonMerge: only a shallow merge is supported: the third argument must be false"))
        #expect(try callError("States.JsonMerge($.a, $.b, false)", input: #"{"a": [], "b": {}}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.JsonMerge: the first argument must be an object, but was array []"))
    }
}
