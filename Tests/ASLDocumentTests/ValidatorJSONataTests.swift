// The validator's JSONata rules: expressions parse (with the location of the bad one), the fields each query
// language allows, `{% %}` where a JSONPath state evaluates a value, and where `$states.result` and
// `$states.errorOutput` are available.
import ASLDocument
import Testing

@Suite struct ValidatorJSONataTests {
    @Test func jsonataIsAcceptedByDefault() throws {
        let text = """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
              "A": {"Type": "Pass", "Output": {"x": "{% $states.input.a + 1 %}"}, "Next": "W"},
              "W": {"Type": "Wait", "Seconds": "{% 1 %}", "Next": "M"},
              "M": {"Type": "Map", "Items": "{% [1, 2] %}", "MaxConcurrency": "{% 2 %}",
                    "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Next": "C"},
              "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input = 1 %}", "Next": "F"}], "Default": "S"},
              "F": {"Type": "Fail", "Error": "{% 'E' %}", "Cause": "{% 'c' %}"},
              "S": {"Type": "Succeed"}}}
            """
        #expect(try problems(text).isEmpty)
    }

    @Test func syntaxErrorsCarryTheFieldAndThePosition() throws {
        let text = """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
              "Output": {"ok": "{% $states.input %}", "list": ["{% 1 + %}"]}, "Assign": {"v": "{% ( %}"}, "End": true}}}
            """
        let diagnostics = try problems(text, options: .init(allowVariables: true))
        #expect(diagnostics.map(\.location) == ["/States/A/Output/list/0", "/States/A/Assign/v"]
            || diagnostics.map(\.location) == ["/States/A/Assign/v", "/States/A/Output/list/0"])
        #expect(diagnostics.allSatisfy { $0.message.hasPrefix("invalid JSONata expression: S0") && $0.message.contains("position") })
    }

    @Test func jsonPathFieldsInAJSONataStateAndTheReverse() throws {
        let jsonata = """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
              "A": {"Type": "Task", "Resource": "baton:function:f", "Parameters": {"a.$": "$.a"}, "ResultPath": "$.r",
                    "TimeoutSecondsPath": "$.t", "End": true}}}
            """
        let diagnostics = try problems(jsonata)
        #expect(has(diagnostics, "/States/A/Parameters", "JSONPath field and cannot be used in a JSONata state; use Arguments"))
        #expect(has(diagnostics, "/States/A/ResultPath", "use Output or Assign"))
        #expect(has(diagnostics, "/States/A/TimeoutSecondsPath", "TimeoutSeconds with a {% %} expression"))

        let jsonPath = """
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 %}", "End": true}}}
            """
        #expect(has(try problems(jsonPath), "/States/A/Output", #"set "QueryLanguage": "JSONata""#))
    }

    @Test func expressionsWhereAJSONPathStateEvaluatesAValue() throws {
        let text = """
            {"StartAt": "W", "States": {
              "W": {"Type": "Wait", "Seconds": "{% 1 %}", "Next": "P"},
              "P": {"Type": "Pass", "Parameters": {"a.$": "{% 1 %}", "literal": "{% kept as text %}"},
                    "Result": "{% also text %}", "End": true}}}
            """
        let diagnostics = try problems(text)
        #expect(diagnostics.map(\.location) == ["/States/W/Seconds", "/States/P/Parameters/a.$"]
            || diagnostics.count == 3 && has(diagnostics, "/States/P/Parameters/a.$", "JSONata expression cannot be evaluated"))
        #expect(has(diagnostics, "/States/W/Seconds", "cannot be evaluated in a JSONPath state"))
    }

    @Test func statesResultAndErrorOutputAvailability() throws {
        let text = """
            {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "baton:function:f", "Arguments": {"x": "{% $states.result %}"},
                    "Output": "{% $states.result %}", "Assign": {"e": "{% $states.errorOutput %}"},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "P"}], "Next": "P"},
              "P": {"Type": "Pass", "Output": "{% $states.result %}", "End": true}}}
            """
        let diagnostics = try problems(text, options: .init(allowVariables: true))
        #expect(diagnostics.count == 3)
        #expect(has(diagnostics, "/States/T/Arguments/x", "$states.result is not available"))
        #expect(has(diagnostics, "/States/T/Assign/e", "$states.errorOutput is not available"))
        #expect(has(diagnostics, "/States/P/Output", "$states.result is not available"))
    }

    @Test func nestedStatesInheritTheTopLevelLanguage() throws {
        let text = """
            {"StartAt": "M", "States": {"M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% [1] %}",
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "InputPath": "$.a", "End": true}}}, "End": true}}}
            """
        #expect(try problems(text).isEmpty)
    }

    @Test func jsonataCanStillBeTurnedOff() throws {
        let text = #"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#
        let diagnostics = try problems(text, options: .init(allowJSONata: false))
        #expect(diagnostics.count == 1 && diagnostics.allSatisfy(\.isNotYetSupported))
    }
}
