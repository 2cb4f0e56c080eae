import ASLDocument
import BatonJSON
import Testing

/// Validation of workflow variables: names, reserved names, where Assign is allowed, and references to
/// variables no state in scope assigns.
@Suite struct VariablesValidationTests {
    @Test func assignedVariablesCanBeReadEverywhereInJSONPathMode() throws {
        let text = #"""
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"n": 1, "items.$": "$.items", "err": null}, "Next": "C"},
              "C": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericEqualsPath": "$n", "Assign": {"picked": true}, "Next": "M"}], "Default": "M"},
              "M": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$n",
                    "ItemSelector": {"v.$": "States.Format('{}', $picked)"},
                    "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Parameters": {"n.$": "$n"}, "End": true}}},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err.$": "$.Error"}, "Next": "F"}], "Next": "F"},
              "F": {"Type": "Fail", "ErrorPath": "$err", "CausePath": "States.Format('{}', $n)"}}}
            """#
        #expect(try problems(text).isEmpty)
    }

    @Test func readingAVariableNothingAssignsIsAnError() throws {
        let text = #"""
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Parameters": {"a.$": "$missing", "b": {"c.$": "States.Format('{} $notAVariable', $other)"}, "lit": "$literal"}, "Next": "C"},
              "C": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$nope", "IsNull": true}, "Next": "W"}], "Default": "W"},
              "W": {"Type": "Wait", "SecondsPath": "$secs.value", "End": true}}}
            """#
        let diagnostics = try problems(text)
        #expect(diagnostics.map(\.location) == [
            "/States/A/Parameters/a.$", "/States/A/Parameters/b/c.$", "/States/C/Choices/0/Not/Variable", "/States/W/SecondsPath",
        ])
        #expect(diagnostics.first?.message == "the variable $missing cannot have been assigned when it is read: no state that runs before this one in its scope assigns it")
        #expect(has(diagnostics, "/States/A/Parameters/b/c.$", "$other"))
    }

    @Test func innerAssignmentsAreNotVisibleOutside() throws {
        let text = #"""
            {"StartAt": "P", "States": {
              "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"inner": 1}, "End": true}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Parameters": {"x.$": "$inner"}, "End": true}}}],
               "Next": "Out"},
              "Out": {"Type": "Pass", "OutputPath": "$inner", "End": true}}}
            """#
        #expect(try problems(text).map(\.location) == ["/States/P/Branches/1/States/B2/Parameters/x.$", "/States/Out/OutputPath"])
    }

    @Test func aDistributedMapCannotReadOuterVariables() throws {
        let text = #"""
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
              "M": {"Type": "Map", "ItemSelector": {"x.$": "$x"}, "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "I", "States": {"I": {"Type": "Pass", "InputPath": "$x", "End": true}}}}}}
            """#
        let diagnostics = try problems(text)
        #expect(diagnostics.map(\.location) == ["/States/M/ItemProcessor/States/I/InputPath"])
        #expect(diagnostics.first?.message.contains("DISTRIBUTED Map") == true)
    }

    @Test func variableNames() throws {
        let long = String(repeating: "v", count: 81)
        let text = #"""
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"states": 1, "\#(long)": 2, "1bad": 3, "ok_1": 4}, "End": true}}}
            """#
        let diagnostics = try problems(text)
        #expect(has(diagnostics, "/States/A/Assign/states", "reserved"))
        #expect(has(diagnostics, "/States/A/Assign/\(long)", "the limit is 80"))
        #expect(has(diagnostics, "/States/A/Assign/1bad", "not a valid variable name"))
        #expect(diagnostics.count == 3)
    }

    @Test func assignOnlyWhereAWSAllowsIt() throws {
        let text = #"""
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "S"},
              "S": {"Type": "Succeed", "Assign": {"y": 1}}}}
            """#
        #expect(has(try problems(text), "/States/S/Assign", "a Succeed state cannot have Assign"))
        let fail = #"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Assign": {"y": 1}}}}"#
        #expect(has(try problems(fail), "/States/F/Assign", "a Fail state cannot have Assign"))
    }

    @Test func jsonataReferencesAreLeftToRunTime() throws {
        let text = #"""
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $undefinedHere %}", "End": true}}}
            """#
        #expect(try problems(text, options: .init(allowJSONata: true)).isEmpty)
    }
}
