import ASLDocument
import BatonJSON
import Testing

@Suite struct DefinitionLoaderTests {
    @Test func loadsJSONKeepingKeyOrder() throws {
        let definition = try DefinitionLoader.load(text: #"{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}, "A": {"Type": "Succeed"}}}"#)
        #expect(definition["States"]?.objectValue?.keys.elements == ["B", "A"])
    }

    @Test func reportsBadJSONWithLineAndColumn() {
        #expect {
            try DefinitionLoader.load(text: "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}", fileName: "bad.json")
        } throws: { error in
            guard let error = error as? DefinitionLoadError else { return false }
            return error.kind == .invalidJSON && error.line == 3 && error.description.hasPrefix("bad.json:3:")
        }
    }

    @Test func loadsYAMLWithCoreSchemaTypes() throws {
        let yaml = """
            Comment: yes
            StartAt: First
            States:
              First:
                Type: Pass
                Result:
                  int: 42
                  negative: -7
                  hex: 0x1F
                  octal: 0o17
                  float: 2.5
                  exponent: 1e3
                  "on": on
                  quoted: "42"
                  single: 'true'
                  nothing: null
                  tilde: ~
                  empty:
                  flag: true
                  False: FALSE
                  date: 2026-01-01
                  list: [1, two, 3.0]
                End: true
            """
        let definition = try DefinitionLoader.load(text: yaml, fileName: "machine.yaml")
        #expect(definition["Comment"] == "yes")
        let result = try #require(definition["States"]?["First"]?["Result"])
        #expect(result["int"] == .number(.int(42)))
        #expect(result["negative"] == .number(.int(-7)))
        #expect(result["hex"] == .number(.int(31)))
        #expect(result["octal"] == .number(.int(15)))
        #expect(result["float"] == .number(.double(2.5)))
        #expect(result["exponent"] == .number(.double(1000)))
        #expect(result["on"] == "on")
        #expect(result["quoted"] == "42")
        #expect(result["single"] == "true")
        #expect(result["nothing"] == .null)
        #expect(result["tilde"] == .null)
        #expect(result["empty"] == .null)
        #expect(result["flag"] == true)
        #expect(result["False"] == false)
        #expect(result["date"] == "2026-01-01")
        #expect(result["list"] == [1, "two", 3.0])
        #expect(result.objectValue?.keys.first == "int")
        #expect(DefinitionValidator.validate(definition).isEmpty)
    }

    @Test func reportsBadYAMLWithLineAndColumn() {
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n"
        #expect {
            try DefinitionLoader.load(text: yaml, fileName: "bad.yaml")
        } throws: { error in
            guard let error = error as? DefinitionLoadError else { return false }
            return error.kind == .invalidYAML && error.line == 5 && error.column != nil
                && error.description.hasPrefix("bad.yaml:5:")
        }
    }

    @Test func rejectsCloudFormationTagsAndInfinity() {
        #expect(throws: DefinitionLoadError.self) {
            try DefinitionLoader.load(text: "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: !GetAtt Fn.Arn\n    End: true\n")
        }
        #expect(throws: DefinitionLoadError.self) {
            try DefinitionLoader.load(text: "StartAt: A\nStates:\n  A: {Type: Pass, Result: .inf, End: true}\n")
        }
    }

    @Test func sniffsTheFormat() throws {
        let json = try DefinitionLoader.load(text: "  {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}")
        let yaml = try DefinitionLoader.load(text: "StartAt: A\nStates: {A: {Type: Succeed}}\n")
        #expect(json == yaml)
        // An explicit .json name means strict JSON, even for YAML-looking text.
        #expect(throws: DefinitionLoadError.self) { try DefinitionLoader.load(text: "StartAt: A", fileName: "x.json") }
    }

    @Test func mergeKeysAndAnchors() throws {
        let yaml = """
            StartAt: A
            States:
              A: &pass
                Type: Pass
                Next: B
              B:
                <<: *pass
                Next: C
              C: {Type: Succeed}
            """
        let definition = try DefinitionLoader.load(text: yaml)
        #expect(definition["States"]?["B"] == ["Type": "Pass", "Next": "C"])
    }

    @Test func takesTheDefinitionOutOfAServerlessFile() throws {
        let yaml = """
            service: orders
            provider:
              name: aws
              runtime: nodejs20.x
            functions:
              charge:
                handler: charge.handler
            stepFunctions:
              stateMachines:
                orderFlow:
                  name: order-flow
                  definition:
                    Comment: Charge then ship
                    StartAt: Charge
                    States:
                      Charge:
                        Type: Task
                        Resource: arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:charge
                        Retry:
                          - ErrorEquals: [States.TaskFailed]
                            IntervalSeconds: 2
                            MaxAttempts: 3
                            BackoffRate: 1.5
                        Next: Ship
                      Ship:
                        Type: Task
                        Resource: baton:function:ship
                        End: true
            """
        let definition = try DefinitionLoader.load(
            text: yaml, substitutions: ["AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012"],
            fileName: "serverless.yml")
        #expect(definition["StartAt"] == "Charge")
        #expect(definition["States"]?["Charge"]?["Resource"] == "arn:aws:lambda:eu-west-1:123456789012:function:charge")
        #expect(definition["States"]?["Charge"]?["Retry"]?[0]?["BackoffRate"] == 1.5)
        #expect(DefinitionValidator.validate(definition).isEmpty)
        let diagnostics = DefinitionValidator.validate(definition, options: .init(availableFunctions: ["charge"]))
        #expect(diagnostics.map(\.location) == ["/States/Ship/Resource"])
    }

    @Test func takesTheDefinitionOutOfASAMTemplateAndRefusesAmbiguity() throws {
        let template = """
            {"Resources": {"Flow": {"Type": "AWS::Serverless::StateMachine", "Properties": {
              "Definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}}}}
            """
        #expect(try DefinitionLoader.load(text: template)["StartAt"] == "A")
        let two = """
            {"Resources": {"F1": {"Properties": {"Definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}},
                           "F2": {"Properties": {"Definition": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}}}}}
            """
        #expect {
            try DefinitionLoader.load(text: two)
        } throws: { error in
            (error as? DefinitionLoadError)?.message.contains("/Resources/F1/Properties/Definition") == true
        }
    }
}

@Suite struct SubstitutionTests {
    @Test func substitutesInValuesAndKeys() throws {
        let text = #"""
            {"StartAt": "${First}", "States": {"${First}": {"Type": "Task", "Resource": "arn:aws:lambda:${Region}:1:function:${Fn}",
              "Parameters": {"table": "${Table}-${Stage}", "n": 1, "keep": "${unclosed", "literal": "${!Table} costs $5"}, "End": true}}}
            """#
        let definition = try DefinitionLoader.load(
            text: text, substitutions: ["First": "Go", "Region": "us-east-1", "Fn": "work", "Table": "orders", "Stage": "prod"])
        #expect(definition["StartAt"] == "Go")
        let state = try #require(definition["States"]?["Go"])
        #expect(state["Resource"] == "arn:aws:lambda:us-east-1:1:function:work")
        #expect(state["Parameters"] == ["table": "orders-prod", "n": 1, "keep": "${unclosed", "literal": "${Table} costs $5"])
    }

    @Test func unresolvedPlaceholderNamesItAndItsLocation() {
        let text = #"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}"#
        #expect {
            try DefinitionLoader.load(text: text, substitutions: ["Other": "x"], fileName: "m.json")
        } throws: { error in
            guard let error = error as? DefinitionLoadError else { return false }
            return error.kind == .unresolvedSubstitution && error.placeholder == "FnArn"
                && error.location == "/States/A/Resource"
                && error.description.contains("${FnArn}") && error.description.hasPrefix("m.json: /States/A/Resource")
        }
    }

    @Test func substitutedNumbersStayStrings() throws {
        let definition = try DefinitionLoader.load(
            text: "StartAt: W\nStates:\n  W: {Type: Wait, Seconds: '${Delay}', End: true}\n", substitutions: ["Delay": "10"])
        #expect(definition["States"]?["W"]?["Seconds"] == "10")
        #expect(DefinitionValidator.validate(definition).map(\.location) == ["/States/W/Seconds"])
    }

    @Test func parsesSubstitutionSources() throws {
        let (key, value) = try DefinitionLoader.parseSubstitutionArgument("Url=https://x?a=b")
        #expect(key == "Url" && value == "https://x?a=b")
        #expect(throws: DefinitionLoadError.self) { try DefinitionLoader.parseSubstitutionArgument("=x") }
        let yaml = try DefinitionLoader.parseSubstitutions(text: "Table: orders\nCount: 3\nOn: true\n", fileName: "s.yaml")
        #expect(yaml == ["Table": "orders", "Count": "3", "On": "true"])
        let sam = try DefinitionLoader.parseSubstitutions(text: #"{"DefinitionSubstitutions": {"A": "1"}}"#)
        #expect(sam == ["A": "1"])
        #expect(throws: DefinitionLoadError.self) { try DefinitionLoader.parseSubstitutions(text: #"{"A": {"b": 1}}"#) }
    }
}

@Suite struct DuplicateKeyTests {
    @Test func duplicateStateNameInJSONIsALoadError() {
        let text = """
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Next": "B"},
              "B": {"Type": "Pass", "End": true, "Comment": "x\\"y", "Result": [{"k": 1}, {"k": 2}]},
              "B": {"Type": "Succeed"}}}
            """
        #expect {
            try DefinitionLoader.load(text: text, fileName: "dup.json")
        } throws: { error in
            guard let error = error as? DefinitionLoadError else { return false }
            return error.line == 4 && error.column == 3 && error.message.contains("\"B\"") && error.message.contains("/States")
        }
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        let text = #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 1}]}, "End": true}}}"#
        #expect(try DefinitionLoader.load(text: text)["States"]?["A"]?["Result"]?["c"] == [["x": 1], ["x": 1]])
    }
}
