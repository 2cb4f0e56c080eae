import BatonJSON
import Testing

@testable import ASLExpressions

private func evaluate(_ template: String, input: String, context: String = "{}") throws -> JSON {
    var random = SeededRandom(seed: 1)
    let scope = ExpressionScope(input: json(input), context: json(context))
    return try PayloadTemplate(json(template)).evaluate(in: scope, random: &random)
}

@Suite struct PayloadTemplateTests {
    @Test func pathsContextPathsAndLiterals() throws {
        let result = try evaluate(
            #"{"flagged": true, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}, "id.$": "$$.Execution.Id"}"#,
            input: #"{"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}"#,
            context: #"{"Execution": {"Id": "arn:e"}}"#)
        #expect(result.serialized() == #"{"flagged":true,"parts":{"first":0,"last3":[30,40,50]},"id":"arn:e"}"#)
    }

    @Test func arraysOfObjectsAreTemplatesToo() throws {
        let result = try evaluate(#"{"list": [{"v.$": "$.a"}, 1, ["x", {"w.$": "$.b"}]]}"#, input: #"{"a": 1, "b": 2}"#)
        #expect(result == json(#"{"list": [{"v": 1}, 1, ["x", {"w": 2}]]}"#))
    }

    @Test func intrinsicCalls() throws {
        let result = try evaluate(#"{"greeting.$": "States.Format('Hello, {}!', $.name)"}"#, input: #"{"name": "Ada"}"#)
        #expect(result == ["greeting": "Hello, Ada!"])
    }

    @Test func staticTemplatesEvaluateToThemselves() throws {
        let template = try PayloadTemplate(json(#"{"a": [1, {"b": "$.x"}], "c.d": "e"}"#))
        #expect(template.isStatic)
        var random = SeededRandom(seed: 1)
        #expect(try template.evaluate(in: ExpressionScope(input: .null), random: &random) == template.template)
    }

    @Test func aPathThatSelectsNothingFailsWithAWSsCause() throws {
        let template = try PayloadTemplate(json(#"{"value.$": "$.no_such_jsonpath"}"#))
        var random = SeededRandom(seed: 1)
        let scope = ExpressionScope(input: json(#"{"int-literal": 0}"#))
        #expect(throws: ASLError(.runtime, #"The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#)) {
            try template.evaluate(in: scope, random: &random)
        }
        let context = try PayloadTemplate(json(#"{"value.$": "$$.Execution.Input.no_such_jsonpath"}"#))
        #expect(throws: ASLError(.runtime, #"The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#)) {
            try context.evaluate(in: scope, random: &random)
        }
    }

    @Test func reportsEveryBadEntryWithItsLocation() {
        do {
            _ = try PayloadTemplate(json(#"{"a.$": 5, "b": {"c.$": "$.x[", "d": [{"e.$": "nope"}]}, "f.$": "States.Nope()", "g/h.$": "$$.."}"#))
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.map(\.location) == ["/a.$", "/b/c.$", "/b/d/0/e.$", "/f.$", "/g~1h.$"])
            #expect(error.problems[0].message == "The value for the field 'a.$' must be a string holding a JSONPath or an intrinsic function call, not a number")
            #expect(error.problems[1].message.hasPrefix("The value for the field 'c.$' must be a valid JSONPath: "))
            #expect(error.problems[2].message == "The value for the field 'e.$' must be a valid JSONPath or a valid intrinsic function call")
            #expect(error.problems[3].message.contains("unknown intrinsic function 'States.Nope'"))
        }
    }

    @Test func listsThePathsItReads() throws {
        let template = try PayloadTemplate(json(#"{"a.$": "$.x", "b": {"c.$": "States.Array($.y, $$.z)"}}"#))
        #expect(template.paths.map(\.text) == ["$.x", "$.y", "$$.z"])
    }
}
