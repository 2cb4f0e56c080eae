import ASLChoice
import BatonJSON
import Testing

@Suite("Choice rule parsing")
struct ChoiceParsingTests {
    @Test func parsesEveryOperator() throws {
        for op in ChoiceOperator.allCases {
            let operand: String
            switch op.family {
            case .string: operand = #""abc""#
            case .numeric: operand = "1.5"
            case .boolean, .typeTest: operand = "true"
            case .timestamp: operand = #""2016-03-14T01:59:00Z""#
            }
            let parsed = try branch(#"{"Variable": "$.v", "\#(op.rawValue)": \#(operand), "Next": "N"}"#)
            guard case .comparison(let comparison) = parsed.rule else {
                Issue.record("\(op) did not parse to a comparison")
                continue
            }
            #expect(comparison.operator == op)
            #expect(comparison.fieldName == op.rawValue)
            #expect(comparison.variable.text == "$.v")
            if op.hasPathForm {
                let pathForm = try branch(#"{"Variable": "$.v", "\#(op.rawValue)Path": "$.w", "Next": "N"}"#)
                guard case .comparison(let c) = pathForm.rule, case .path(let path) = c.operand else {
                    Issue.record("\(op)Path did not parse to a path comparison")
                    continue
                }
                #expect(path.text == "$.w")
                #expect(c.fieldName == op.rawValue + "Path")
            }
        }
        #expect(ChoiceOperator.fieldNames.count == 23 + 16)
    }

    @Test func commentsAreAllowedAtEveryLevel() throws {
        let parsed = try branch(#"""
            {"And": [{"Variable": "$.status", "StringEquals": "complete", "Comment": "inner"}],
             "Comment": "outer", "Next": "SuccessState"}
            """#)
        guard case .and(let rules) = parsed.rule else { Issue.record("not an And"); return }
        #expect(rules.count == 1)
    }

    @Test func fieldOrderDoesNotMatter() throws {
        let parsed = try branch(#"{"BooleanEquals": true, "Next": "FinishTrue", "Variable": "$.result.done"}"#)
        #expect(parsed.next == "FinishTrue")
    }

    @Test func aTopLevelRuleMayCarryAssign() throws {
        // The rule's variables are the caller's to read (ASLCore's ChoiceState, the validator).
        #expect(try problems(#"{"Variable": "$.v", "IsNull": true, "Assign": {"x": 1}, "Next": "N"}"#).isEmpty)
    }

    @Test("reports one problem where it is", arguments: [
        (#"{"Variable": "$.v", "NumericEquals": "1", "Next": "N"}"#, "/Choices/0/NumericEquals", "NumericEquals takes a number"),
        (#"{"Variable": "$.v", "NumericEquals": "$.w", "Next": "N"}"#, "/Choices/0/NumericEquals", "use NumericEqualsPath"),
        (#"{"Variable": "$.v", "NumericEquals": true, "Next": "N"}"#, "/Choices/0/NumericEquals", "takes a number, got the boolean true"),
        (#"{"Variable": "$.v", "StringEquals": 1, "Next": "N"}"#, "/Choices/0/StringEquals", "takes a string"),
        (#"{"Variable": "$.v", "StringMatches": null, "Next": "N"}"#, "/Choices/0/StringMatches", "takes a string, got null"),
        (#"{"Variable": "$.v", "BooleanEquals": "true", "Next": "N"}"#, "/Choices/0/BooleanEquals", "takes true or false"),
        (#"{"Variable": "$.v", "IsPresent": 1, "Next": "N"}"#, "/Choices/0/IsPresent", "takes true or false"),
        (#"{"Variable": "$.v", "TimestampEquals": "2016-03-14T01:59:00", "Next": "N"}"#, "/Choices/0/TimestampEquals", "not a timestamp AWS accepts"),
        (#"{"Variable": "$.v", "TimestampEquals": "2016-03-14t01:59:00z", "Next": "N"}"#, "/Choices/0/TimestampEquals", "uppercase T"),
        (#"{"Variable": "$.v", "TimestampLessThan": 5, "Next": "N"}"#, "/Choices/0/TimestampLessThan", "takes a timestamp string"),
        (#"{"Variable": "$.v", "NumericEqualsPath": 5, "Next": "N"}"#, "/Choices/0/NumericEqualsPath", "takes a path"),
        (#"{"Variable": "$.v", "NumericEqualsPath": "value", "Next": "N"}"#, "/Choices/0/NumericEqualsPath", "is not a valid path"),
        (#"{"Variable": "v", "NumericEquals": 1, "Next": "N"}"#, "/Choices/0/Variable", "is not a valid path"),
        (#"{"Variable": "$.items[*].n", "NumericEquals": 1, "Next": "N"}"#, "/Choices/0/Variable", "must be a reference path"),
        (#"{"Variable": "$..n", "IsPresent": true, "Next": "N"}"#, "/Choices/0/Variable", "must be a reference path"),
        (#"{"Variable": "$.v", "StringEqualsPath": "$.list[?(@.a == 1)]", "Next": "N"}"#, "/Choices/0/StringEqualsPath", "StringEqualsPath must be a reference path"),
        (#"{"Variable": "States.ArrayLength($.a)", "NumericEquals": 1, "Next": "N"}"#, "/Choices/0/Variable", "is not a valid path"),
        (#"{"Variable": 3, "NumericEquals": 1, "Next": "N"}"#, "/Choices/0/Variable", "Variable must be a path"),
        (#"{"NumericEquals": 1, "Next": "N"}"#, "/Choices/0", "missing Variable"),
        (#"{"Variable": "$.v", "Next": "N"}"#, "/Choices/0", "no comparison operator"),
        (#"{"Next": "N"}"#, "/Choices/0", "needs exactly one of"),
        (#"{"Variable": "$.v", "NumericEquals": 1}"#, "/Choices/0", "missing Next"),
        (#"{"Variable": "$.v", "NumericEquals": 1, "Next": 7}"#, "/Choices/0/Next", "Next must be a state name"),
        (#"{"Variable": "$.v", "NumericEquals": 1, "NumericLessThan": 3, "Next": "N"}"#, "/Choices/0", "exactly one operator, this one has 2: NumericEquals, NumericLessThan"),
        (#"{"Variable": "$.v", "NumericEquals": 1, "And": [], "Next": "N"}"#, "/Choices/0", "exactly one operator"),
        (#"{"And": [], "Next": "N"}"#, "/Choices/0/And", "at least one"),
        (#"{"Or": {}, "Next": "N"}"#, "/Choices/0/Or", "must be an array"),
        (#"{"Not": [], "Next": "N"}"#, "/Choices/0/Not", "must be a single Choice rule"),
        (#"{"And": [{"Variable": "$.v", "IsNull": true, "Next": "N"}], "Next": "N"}"#, "/Choices/0/And/0/Next", "only allowed on a top-level"),
        (#"{"Not": {"Variable": "$.v", "IsNull": true, "Next": "N"}, "Next": "N"}"#, "/Choices/0/Not/Next", "only allowed on a top-level"),
        (#"{"And": [3], "Next": "N"}"#, "/Choices/0/And/0", "must be an object"),
        (#"{"Variable": "$.a", "And": [{"Variable": "$.v", "IsNull": true}], "Next": "N"}"#, "/Choices/0/Variable", "not allowed next to And"),
        (#"{"Variable": "$.v", "NumericEquals": 1, "Default": "X", "Next": "N"}"#, "/Choices/0/Default", "unknown field \"Default\""),
        (#"{"Variable": "$.v", "numericEquals": 1, "Next": "N"}"#, "/Choices/0/numericEquals", "did you mean \"NumericEquals\"?"),
        (#"{"Variable": "$.v", "NumericEqual": 1, "Next": "N"}"#, "/Choices/0/NumericEqual", "did you mean \"NumericEquals\"?"),
        (#"{"Variable": "$.v", "StringMatchesPath": "$.p", "Next": "N"}"#, "/Choices/0/StringMatchesPath", "does not exist"),
        (#"{"Variable": "$.v", "IsNullPath": "$.p", "Next": "N"}"#, "/Choices/0/IsNullPath", "unknown field"),
        (#"{"Condition": "{% $x %}", "Next": "N"}"#, "/Choices/0/Condition", "JSONata"),
        (#"{"Not": {"Variable": "$.v", "IsNull": true, "Assign": {"x": 1}}, "Next": "N"}"#, "/Choices/0/Not/Assign", "unknown field"),
        (#"{"Variable": "$.v", "IsNull": true, "Comment": 5, "Next": "N"}"#, "/Choices/0/Comment", "must be a string"),
        (#"[]"#, "/Choices/0", "must be an object"),
    ] as [(String, String, String)])
    func reportsOneProblem(_ rule: String, _ location: String, _ fragment: String) throws {
        let found = try problems(rule)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.location == location, "\(found)")
        #expect(found.first?.message.contains(fragment) == true, "\(found)")
    }

    @Test func aMisspelledVariableIsNamedAndMissing() throws {
        let found = try problems(#"{"Varible": "$.v", "IsNull": true, "Next": "N"}"#)
        #expect(found.map(\.location) == ["/Choices/0/Varible", "/Choices/0"])
        #expect(found.first?.message.contains("did you mean \"Variable\"?") == true)
        #expect(found.last?.message.contains("missing Variable") == true)
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let found = try problems(#"""
            {"And": [
                {"Variable": "$.a", "NumericEquals": "1"},
                {"Or": [{"Variable": "$.b", "StringEquals": 2, "Next": "X"}, {"Variable": "b", "IsNull": true}]},
                {"Not": {"Bogus": 1}}
            ], "Surprise": true}
            """#)
        let byLocation = Dictionary(grouping: found, by: \.location)
        #expect(byLocation["/Choices/0/And/0/NumericEquals"] != nil)
        #expect(byLocation["/Choices/0/And/1/Or/0/StringEquals"] != nil)
        #expect(byLocation["/Choices/0/And/1/Or/0/Next"] != nil)
        #expect(byLocation["/Choices/0/And/1/Or/1/Variable"] != nil)
        #expect(byLocation["/Choices/0/And/2/Not/Bogus"] != nil)
        #expect(byLocation["/Choices/0/Surprise"] != nil)
        #expect(byLocation["/Choices/0"] != nil)  // missing Next
        #expect(found.count == 7, "\(found)")
    }

    @Test func locationsEscapeJSONPointerTokens() throws {
        let json = try JSON(parsing: #"{"Variable": "$.v", "IsNull": true, "a/b~c": 1, "Next": "N"}"#)
        do {
            _ = try ChoiceRule.parseBranch(json, location: "/States/Check~1Me/Choices/3")
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.location) == ["/States/Check~1Me/Choices/3/a~1b~0c"])
        }
    }

    @Test func nestedRulesParseWithoutNext() throws {
        let rule = try ChoiceRule.parse(try JSON(parsing: #"{"Variable": "$.v", "IsNull": true}"#), location: "/x")
        guard case .comparison = rule else { Issue.record("not a comparison"); return }
        #expect(throws: ChoiceRuleErrors.self) {
            try ChoiceRule.parse(try JSON(parsing: #"{"Variable": "$.v", "IsNull": true, "Next": "N"}"#), location: "/x")
        }
    }
}
