import ASLDocument
import BatonJSON
import Testing

/// Loads `text` and returns the validator's diagnostics as `LOCATION: MESSAGE` lines.
func problems(_ text: String, options: ValidationOptions = .init()) throws -> [Diagnostic] {
    DefinitionValidator.validate(try DefinitionLoader.load(text: text), options: options)
}

/// Whether some diagnostic is at `location` and its message contains `fragment`.
func has(_ diagnostics: [Diagnostic], _ location: String, _ fragment: String) -> Bool {
    diagnostics.contains { $0.location == location && $0.message.contains(fragment) }
}

@Suite struct DefinitionValidatorTests {
    @Test func aValidDefinitionHasNoProblems() throws {
        let text = """
            {"Comment": "ok", "StartAt": "P", "TimeoutSeconds": 60, "States": {
              "P": {"Type": "Pass", "Parameters": {"a.$": "$.x", "b": [1, {"c.$": "States.Format('{}', $.y)"}]}, "ResultPath": "$.p", "Next": "T"},
              "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:work", "TimeoutSeconds": 10, "HeartbeatSeconds": 5,
                    "Retry": [{"ErrorEquals": ["Custom"], "IntervalSeconds": 1, "MaxAttempts": 0, "BackoffRate": 1.0, "MaxDelaySeconds": 5, "JitterStrategy": "FULL"},
                              {"ErrorEquals": ["States.ALL"]}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "F"}], "Next": "C"},
              "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "W"}], "Default": "M"},
              "W": {"Type": "Wait", "Timestamp": "2026-01-01T00:00:00.5+01:00", "Next": "M"},
              "M": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrency": 2,
                    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
                    "ItemBatcher": {"MaxItemsPerBatch": 10}, "ToleratedFailurePercentage": 12.5, "Label": "Batch", "Next": "Par"},
              "Par": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "ResultSelector": {"r.$": "$[0]"}, "Next": "S"},
              "S": {"Type": "Succeed"},
              "F": {"Type": "Fail", "Error": "Boom", "CausePath": "States.Format('x {}', $.c)"}
            }}
            """
        #expect(try problems(text) == [])
    }

    /// One definition with a problem of every kind: all are reported at once, each at its location.
    @Test func reportsEveryProblemAtOnce() throws {
        let longName = String(repeating: "n", count: 81)
        let text = """
            {"StartAt": "Start", "Version": "2.0", "Extra": 1, "States": {
              "Start": {"Type": "Pass", "Next": "Nowhere", "Bogus": true},
              "Both": {"Type": "Pass", "Next": "Start", "End": true},
              "Neither": {"Type": "Pass"},
              "NoType": {"End": true},
              "Strange": {"Type": "Teleport", "End": true},
              "\(longName)": {"Type": "Succeed"},
              "Task": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t",
                       "HeartbeatSeconds": 10, "InputPath": "no-dollar", "ResultSelector": "x",
                       "Retry": [{"ErrorEquals": ["States.ALL", "Other"], "IntervalSeconds": 0, "MaxAttempts": -1, "BackoffRate": 0.5,
                                  "MaxDelaySeconds": 0, "JitterStrategy": "SOME"}, {"ErrorEquals": []}],
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Missing"}, {"ErrorEquals": ["X"]}], "End": true},
              "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": 3}, "End": true},
              "Choose": {"Type": "Choice", "Choices": [], "Default": "Gone", "Next": "Start"},
              "Syntax": {"Type": "Task", "Resource": "baton:function:f", "Parameters": {"bad.$": "$.a[", "nested": {"call.$": "States.Nope(1)"}},
                         "ResultPath": "$..x[", "OutputPath": "$.[", "ResultSelector": {"x.$": "$.b.["}, "End": true},
              "Ref": {"Type": "Task", "Resource": "baton:function:f", "TimeoutSecondsPath": "$.items[*]", "InputPath": "$$$", "ResultPath": "$.a[*]", "End": true},
              "BadFail": {"Type": "Fail", "CausePath": "States.Format('{}')"},
              "Choose2": {"Type": "Choice", "Choices": [
                  {"Variable": "$.x", "Next": "Start"},
                  {"Variable": "$.x", "IsNull": true},
                  {"Variable": "$.x", "NumericEquals": "1", "Next": "Start"},
                  {"And": [{"Variable": "$$$", "IsNull": true}], "Next": "Start"}]},
              "Wait": {"Type": "Wait", "Seconds": 1, "TimestampPath": "$.ts", "End": true},
              "WaitNone": {"Type": "Wait", "Timestamp": "yesterday", "End": true},
              "Fail": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "Cause": 5},
              "Map": {"Type": "Map", "Iterator": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Lost"}, "Orphan": {"Type": "Succeed"}}},
                      "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}, "ProcessorConfig": {"Mode": "SIDEWAYS"}},
                      "ItemReader": {}, "ResultWriter": {}, "MaxConcurrency": -1, "MaxConcurrencyPath": "$.m", "ToleratedFailurePercentage": 150,
                      "ItemSelector": {}, "Parameters": {}, "Label": "has space", "End": true},
              "Par": {"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {}},
                        {"StartAt": "Wait", "States": {"Wait": {"Type": "Pass", "Next": "Wait"}}}], "End": true},
              "Data": {"Type": "Task", "Resource": "baton:function:f", "Arguments": {}, "End": true}
            }}
            """
        let diagnostics = try problems(text)
        let expected: [(String, String)] = [
            ("/Version", "Version must be \"1.0\""),
            ("/Extra", "does not have a field Extra"),
            ("/States/Start/Next", "no state is named \"Nowhere\""),
            ("/States/Start/Bogus", "does not have a field Bogus"),
            ("/States/Both/End", "both Next and End"),
            ("/States/Neither", "neither Next nor End"),
            ("/States/NoType/Type", "needs the field Type"),
            ("/States/Strange/Type", "unknown state type \"Teleport\""),
            ("/States/\(longName)", "the limit is 80"),
            ("/States/Task/Resource", "sqs:sendMessage is not supported"),
            ("/States/Task/TimeoutSecondsPath", "cannot both be set"),
            ("/States/Task/HeartbeatSeconds", "must be smaller than TimeoutSeconds"),
            ("/States/Task/InputPath", "must be a path starting with $"),
            ("/States/Task/ResultSelector", "must be an object"),
            ("/States/Task/Retry/0/ErrorEquals/0", "States.ALL must be the only error name"),
            ("/States/Task/Retry/0/ErrorEquals/0", "only in the last retrier"),
            ("/States/Task/Retry/0/IntervalSeconds", "between 1 and 99999999"),
            ("/States/Task/Retry/0/MaxAttempts", "between 0 and 99999999"),
            ("/States/Task/Retry/0/BackoffRate", "at least 1.0"),
            ("/States/Task/Retry/0/MaxDelaySeconds", "between 1 and"),
            ("/States/Task/Retry/0/JitterStrategy", "FULL or NONE"),
            ("/States/Task/Retry/1/ErrorEquals", "at least one error"),
            ("/States/Task/Catch/0/ErrorEquals/0", "only in the last catcher"),
            ("/States/Task/Catch/0/Next", "no state is named \"Missing\""),
            ("/States/Task/Catch/1/Next", "needs the field Next"),
            ("/States/Invoke/Parameters/FunctionName", "needs Parameters.FunctionName"),
            ("/States/Invoke/Parameters/Payload.$", "must be a string holding a JSONPath"),
            ("/States/Syntax/Parameters/bad.$", "must be a valid JSONPath"),
            ("/States/Syntax/Parameters/nested/call.$", "must be a valid intrinsic function call"),
            ("/States/Syntax/ResultPath", "is not a valid path"),
            ("/States/Syntax/OutputPath", "is not a valid path"),
            ("/States/Syntax/ResultSelector/x.$", "must be a valid JSONPath"),
            ("/States/Ref/ResultPath", "must be a reference path"),
            ("/States/Ref/TimeoutSecondsPath", "must be a reference path"),
            ("/States/Ref/InputPath", "is not a valid path"),
            ("/States/BadFail/CausePath", "not a valid intrinsic function call"),
            ("/States/Choose2/Choices/1", "missing Next"),
            ("/States/Choose/Next", "cannot have Next"),
            ("/States/Choose/Choices", "at least one rule"),
            ("/States/Choose/Default", "no state is named \"Gone\""),
            ("/States/Wait/TimestampPath", "exactly one of"),
            ("/States/WaitNone/Timestamp", "not an ISO 8601 timestamp"),
            ("/States/Fail/ErrorPath", "cannot both be set"),
            ("/States/Fail/Cause", "must be a string"),
            ("/States/Map/Iterator", "both ItemProcessor and Iterator"),
            ("/States/Map/ItemProcessor/ProcessorConfig/Mode", "INLINE or DISTRIBUTED"),
            ("/States/Map/Iterator/States/A/Next", "no state is named \"Lost\""),
            ("/States/Map/Iterator/States/Orphan", "unreachable"),
            ("/States/Map/ItemReader", "not supported by Baton"),
            ("/States/Map/ResultWriter", "not supported by Baton"),
            ("/States/Map/MaxConcurrencyPath", "cannot both be set"),
            ("/States/Map/MaxConcurrency", "between 0 and"),
            ("/States/Map/ToleratedFailurePercentage", "between 0 and 100"),
            ("/States/Map/Parameters", "cannot both be set"),
            ("/States/Map/Label", "must not contain whitespace"),
            ("/States/Par/Branches/0/States", "at least one state"),
            ("/States/Par/Branches/1/States/Wait", "is already used at /States/Wait"),
            ("/States/Par/Branches/1/States", "has no terminal state"),
            ("/States/Data/Arguments", "JSONata field"),
            ("/States/Both", "unreachable"),
            ("/States/Task", "unreachable"),
        ]
        for (location, fragment) in expected {
            #expect(has(diagnostics, location, fragment), "missing \(location): …\(fragment)…\nall:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
        #expect(!diagnostics.contains { $0.location == "/States/Start" && $0.message.contains("unreachable") })
    }

    /// Choice rules of the wrong shape, as ASLChoice's parser reports them.
    @Test func choiceRuleShapes() throws {
        let text = """
            {"StartAt": "C", "States": {"S": {"Type": "Succeed"},
              "C": {"Type": "Choice", "Choices": [
                  {"Variable": "$.x", "Next": "S"},
                  {"Variable": "$.x", "IsNull": true},
                  {"Variable": "$.x", "NumericEquals": "1", "Next": "S"},
                  {"And": [{"Variable": "$$$", "IsNull": true}], "Next": "S"},
                  {"Variable": "$total", "IsNull": true, "Next": "S", "Assign": {"a": 1}}]}}}
            """
        let diagnostics = try problems(text, options: .init(allowVariables: false))
        let expected: [(String, String)] = [
            ("/States/C/Choices/0", "no comparison operator"),
            ("/States/C/Choices/1", "missing Next"),
            ("/States/C/Choices/2/NumericEquals", "takes a number"),
            ("/States/C/Choices/3/And/0/Variable", "not a valid path"),
            ("/States/C/Choices/4/Variable", "not yet supported"),
            ("/States/C/Choices/4/Assign", "not yet supported"),
        ]
        for (location, fragment) in expected {
            #expect(has(diagnostics, location, fragment), "missing \(location): …\(fragment)…\nall:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
        #expect(diagnostics.count == expected.count)
    }

    @Test func moreFieldRules() throws {
        let yaml = """
            StartAt: Idle
            States:
              Idle: {Type: Wait, Nxt: Fan}
              Fan:
                Type: Map
                ItemsPath: $.items[?(@.x
                ItemBatcher: {BatchInput: [], MaxItemsPerBatch: 0, Extra: 1}
                ToleratedFailureCount: 1.5
                ItemProcessor:
                  StartAt: Work
                  States:
                    Work: {Type: Task, Resource: 'arn:aws:lambda:eu-west-1:1:function:w', End: false, Catch: [{ErrorEquals: [States.ALL], Next: Work, Output: 1}]}
                End: true
            """
        let diagnostics = try problems(yaml)
        let expected: [(String, String)] = [
            ("/States/Idle/Nxt", "(did you mean Next?)"),
            ("/States/Idle", "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath"),
            ("/States/Idle", "neither Next nor End"),
            ("/States/Fan/ItemsPath", "is not a valid path"),
            ("/States/Fan/ItemBatcher/Extra", "ItemBatcher does not have a field Extra"),
            ("/States/Fan/ItemBatcher/MaxItemsPerBatch", "between 1 and"),
            ("/States/Fan/ItemBatcher/BatchInput", "must be an object"),
            ("/States/Fan/ToleratedFailureCount", "must be an integer, not 1.5"),
            ("/States/Fan/ItemProcessor/States/Work/End", "End is false and there is no Next"),
            ("/States/Fan/ItemProcessor/States/Work/Catch/0/Output", "use ResultPath"),
            ("/States/Fan/ItemProcessor/States", "has no terminal state"),
        ]
        for (location, fragment) in expected {
            #expect(has(diagnostics, location, fragment), "missing \(location): …\(fragment)…\nall:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
        #expect(diagnostics.count == expected.count + 1)  // and /States/Fan is unreachable (Idle has no Next)
        #expect(has(diagnostics, "/States/Fan", "unreachable"))
    }

    @Test func locationsEscapeSlashAndTilde() throws {
        let diagnostics = try problems(#"{"StartAt": "a/b~c", "States": {"a/b~c": {"Type": "Pass", "Next": "x"}}}"#)
        #expect(diagnostics.map(\.description).contains(#"/States/a~1b~0c/Next: no state is named "x""#))
    }

    @Test func nestedLocationsReachIntoItemProcessors() throws {
        let text = """
            {"StartAt": "Invoke Worker", "States": {"Invoke Worker": {"Type": "Map", "End": true,
              "ItemProcessor": {"StartAt": "Check", "States": {"Check": {"Type": "Pass", "Next": "Done"}}}}}}
            """
        let diagnostics = try problems(text)
        #expect(diagnostics.map(\.location) == ["/States/Invoke Worker/ItemProcessor/States", "/States/Invoke Worker/ItemProcessor/States/Check/Next"])
    }

    @Test func missingTopLevelFields() throws {
        #expect(try problems("{}").map(\.location) == ["/StartAt", "/States"])
        #expect(try problems(#"{"StartAt": "A", "States": {"B": {"Type": "Succeed"}}}"#).map(\.location) == ["/StartAt"])
        #expect(DefinitionValidator.validate(.array([])).map(\.location) == ["/"])
    }

    @Test func availableFunctions() throws {
        let text = """
            {"StartAt": "A", "States": {
              "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:alpha:live", "Next": "B"},
              "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:1:function:beta"}, "Next": "C"},
              "C": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:1:activity:gamma", "Next": "D"},
              "D": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.fn"}, "End": true}}}
            """
        #expect(try problems(text).isEmpty)
        let diagnostics = try problems(text, options: .init(availableFunctions: ["alpha"]))
        #expect(diagnostics.map(\.location) == ["/States/B/Parameters/FunctionName", "/States/C/Resource"])
        #expect(diagnostics.first?.message == #"no function is mapped for "beta"; pass --function beta=COMMAND"#)
    }

    @Test func jsonataAndVariablesAreNotYetSupported() throws {
        let jsonata = """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
              "A": {"Type": "Pass", "Output": "{% $states.input %}", "Assign": {"x": 1}, "Next": "B"},
              "B": {"Type": "Pass", "InputPath": "$.a", "End": true}}}
            """
        let diagnostics = try problems(jsonata, options: .init(allowVariables: false))
        #expect(!has(diagnostics, "/QueryLanguage", "not yet supported by this version of Baton"))
        #expect(has(try problems(jsonata, options: .init(allowJSONata: false)), "/QueryLanguage", "not yet supported by this version of Baton"))
        #expect(has(diagnostics, "/States/A/Assign", "not yet supported by this version of Baton"))
        #expect(has(diagnostics, "/States/B/InputPath", "JSONPath field and cannot be used in a JSONata state"))
        let enabled = try problems(jsonata, options: .init(allowJSONata: true, allowVariables: true))
        #expect(enabled.map(\.location) == ["/States/B/InputPath"])

        let variables = """
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"v.$": "$total"}, "OutputPath": "$result.x", "End": true}}}
            """
        let variableDiagnostics = try problems(variables, options: .init(allowVariables: false))
        #expect(variableDiagnostics.count == 2)
        #expect(variableDiagnostics.allSatisfy { $0.isNotYetSupported })
        // Allowed, but nothing assigns them (see VariablesValidationTests).
        #expect(try problems(variables).map(\.location) == ["/States/A/Parameters/v.$", "/States/A/OutputPath"])

        let mixed = #"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Succeed", "QueryLanguage": "JSONPath"}}}"#
        #expect(has(try problems(mixed, options: .init(allowJSONata: true)), "/States/A/QueryLanguage", "cannot use JSONPath"))
    }

    @Test func warningsOnlyWhenAsked() throws {
        let text = """
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"id": "$.id", "f": "States.UUID()", "ok.$": "$.x"},
              "Result": {"v.$": "$.v"}, "End": true}}}
            """
        #expect(try problems(text).isEmpty)
        let warnings = try problems(text, options: .init(includeWarnings: true))
        #expect(warnings.map(\.location) == ["/States/A/Parameters/id", "/States/A/Parameters/f", "/States/A/Result/v.$"])
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.description.contains(": warning: ") })
        #expect(has(try problems(#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "$.s", "End": true}}}"#), "/States/W/Seconds", "use SecondsPath"))
    }

    @Test func variablesInIntrinsicArguments() throws {
        let text = #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"s.$": "States.Format('{} $x', $name)"}, "End": true}}}"#
        let diagnostics = try problems(text, options: .init(allowVariables: false))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("$name") == true)
        #expect(diagnostics.first?.message.contains("$x") == false)
    }

    @Test func jsonataExpressionsGoThroughTheGivenChecker() throws {
        let text = """
            {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
              "Output": {"ok": "{% $states.input %}", "list": ["{% 1 + %}"], "plain": "x"}, "End": true}}}
            """
        var options = ValidationOptions(allowJSONata: true)
        options.jsonataSyntaxCheck = { $0.hasSuffix("+ ") ? "the expression ends after an operator" : nil }
        let diagnostics = try problems(text, options: options)
        #expect(diagnostics.map(\.description) == ["/States/A/Output/list/0: invalid JSONata expression: the expression ends after an operator"])
    }

    @Test func diagnosticDescription() {
        #expect(Diagnostic(location: "/States/A/Next", message: "m").description == "/States/A/Next: m")
        #expect(Diagnostic(location: "", message: "m").description == "/: m")
    }
}
