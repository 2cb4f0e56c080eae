import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct FormatTests {
    @Test func formatsStringsNumbersAndNull() throws {
        // Recorded against AWS (intrinsic_functions.generic.format_1.* and format_2.*).
        #expect(try call("States.Format('Formatting argument {}.', $.v)", input: #"{"v": ""}"#) == "Formatting argument .")
        #expect(try call("States.Format('Formatting argument {}.', $.v)", input: #"{"v": null}"#) == "Formatting argument null.")
        #expect(try call("States.Format('Formatting argument {}.', $.v)", input: #"{"v": 1}"#) == "Formatting argument 1.")
        #expect(try call("States.Format('Formatting argument {}.', $.v)", input: #"{"v": 1.1}"#) == "Formatting argument 1.1.")
        #expect(try call("States.Format('{} and {}', $.a, $.b)", input: #"{"a": true, "b": "x"}"#) == "true and x")
    }

    @Test func formatsObjectsAndArraysAsJavaDoes() throws {
        // Recorded against AWS (format_2.07, context_json_path).
        #expect(try call("States.Format('fst={}.', $.v)", input: #"{"v": {"Arg1": 1, "Arg2": []}}"#) == "fst={Arg1=1, Arg2=[]}.")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": {"Id": "arn:x", "Name": "n"}}"#) == "{Id=arn:x, Name=n}")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": [1, "a", null, [2.5]]}"#) == "[1, a, null, [2.5]]")
    }

    @Test func formatsDoublesAsJavaDoes() throws {
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": 1.0}"#) == "1.0")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": 1e10}"#) == "1.0E10")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": 0.0001}"#) == "1.0E-4")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": 1234567.5}"#) == "1234567.5")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": 12345678.5}"#) == "1.23456785E7")
        #expect(try call("States.Format('{}', $.v)", input: #"{"v": -0.001}"#) == "-0.001")
        // Printed by Java's Double.toString.
        let java: [(Double, String)] = [(1e7, "1.0E7"), (9999999.0, "9999999.0"), (0.001, "0.001"), (1e21, "1.0E21"), (123e-20, "1.23E-18"), (100.0, "100.0"), (1.7976931348623157e308, "1.7976931348623157E308")]
        for (value, text) in java {
            #expect(javaDoubleText(value) == text)
        }
    }

    @Test func escapedBracesAreLiteral() throws {
        #expect(try call(#"States.Format('\{\} {} \\ \'', 'x')"#) == #"{} x \ '"#)
        #expect(try call(#"States.Format('\{{}\}', 5)"#) == "{5}")
    }

    @Test func aTemplateFromAPath() throws {
        #expect(try call("States.Format($.t, $.v)", input: #"{"t": "<{}>", "v": 3}"#) == "<3>")
        let error = try callError("States.Format($.t, $.v)", input: #"{"t": "{} {}", "v": 3}"#)
        #expect(error == ASLError(.intrinsicFailure, "Invalid arguments in States.Format: the template has 2 placeholder(s) '{}' but 1 argument(s) follow it"))
        let notString = try callError("States.Format($.t)", input: #"{"t": 5}"#)
        #expect(notString == ASLError(.intrinsicFailure, "Invalid arguments in States.Format: the first argument must be a string, but was number 5"))
    }
}

@Suite struct StringSplitTests {
    @Test func splitsOnEachDelimiterCharacterAndDropsEmptyParts() throws {
        // Recorded against AWS (intrinsic_functions.string_operations.string_split.*).
        #expect(try call("States.StringSplit($.s, $.d)", input: #"{"s": "1,2,3,4,5", "d": ","}"#) == ["1", "2", "3", "4", "5"])
        #expect(try call("States.StringSplit($.s, $.d)", input: #"{"s": ", , ,", "d": ","}"#) == [" ", " "])
        #expect(try call("States.StringSplit($.s, $.d)", input: #"{"s": ",,,,", "d": ","}"#) == [])
        #expect(try call("States.StringSplit($.s, $.d)", input: #"{"s": "This.is+a,test=string", "d": ".+,="}"#) == ["This", "is", "a", "test", "string"])
        #expect(try call("States.StringSplit($.s, $.d)", input: #"{"s": "split on T and \nnew line", "d": "T\n"}"#) == ["split on ", " and ", "new line"])
        #expect(try call("States.StringSplit('abc', '')") == ["abc"])
    }

    @Test func badArguments() throws {
        #expect(try callError("States.StringSplit($.s, ',')", input: #"{"s": 5}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.StringSplit: the first argument must be a string, but was number 5"))
        #expect(try callError("States.StringSplit('a', $.d)", input: #"{"d": null}"#)?.name == .intrinsicFailure)
    }
}
