import BatonJSON
import Testing

@testable import ASLExpressions

private let store = json("""
    {"store": {"book": [
        {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
        {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
        {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
        {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord", "isbn": "0-395", "price": 22.99}
      ],
      "bicycle": {"color": "red", "price": 19.95}},
     "a b": 1, "items": [0, 1, 2, 3, 4]}
    """)

private func select(_ path: String, _ document: JSON = store) throws -> JSON? {
    try Path(path).select(in: ExpressionScope(input: document))
}

@Suite struct ReferencePathTests {
    @Test func rootSelectsTheWholeInput() throws {
        #expect(try select("$") == store)
        #expect(try Path("$").isReferencePath)
        #expect(try Path("$").isRoot)
    }

    @Test func dotAndBracketMembers() throws {
        #expect(try select("$.store.bicycle.color") == "red")
        #expect(try select("$['store']['bicycle']['color']") == "red")
        #expect(try select("$[\"store\"].bicycle[\"price\"]") == 19.95)
        #expect(try select("$['a b']") == 1)
        #expect(try select("  $.store.bicycle.color ") == "red")
        #expect(try Path(" $.a ").text == " $.a ")
    }

    @Test func arrayIndices() throws {
        #expect(try select("$.items[0]") == 0)
        #expect(try select("$.items[4]") == 4)
        #expect(try select("$.items[-1]") == 4)
        #expect(try select("$.store.book[1].author") == "Evelyn Waugh")
        #expect(try select("$.items[5]") == nil)
    }

    @Test func aPathThatSelectsNothingIsNil() throws {
        #expect(try select("$.nothing") == nil)
        #expect(try select("$.store.nothing.deeper") == nil)
        #expect(try select("$.store.bicycle.color.x") == nil)
    }

    @Test func contextAndVariableRoots() throws {
        let scope = ExpressionScope(
            input: json(#"{"a": 1}"#),
            context: json(#"{"Execution": {"Id": "arn:x", "Input": {"k": "v"}}, "Map": {"Item": {"Index": 2}}}"#),
            variables: ["total": json(#"{"n": 5}"#), "x": 3]
        )
        #expect(try Path("$$.Execution.Id").select(in: scope) == "arn:x")
        #expect(try Path("$$.Map.Item.Index").select(in: scope) == 2)
        #expect(try Path("$$").select(in: scope)?["Execution"]?["Input"]?["k"] == "v")
        #expect(try Path("$total.n").select(in: scope) == 5)
        #expect(try Path("$x").select(in: scope) == 3)
        #expect(try Path("$nope").select(in: scope) == nil)
        #expect(try Path("$$.Execution.Id").isContextPath)
        #expect(try Path("$total.n").variableName == "total")
        #expect(try Path("$.a").variableName == nil)
    }

    @Test func bracketNamesKeepBackslashesAsWritten() throws {
        // Recorded against AWS (escape_sequence_parsing.ESCAPE_SEQUENCES_JSONPATH).
        let document = JSON.object(["Test\\\"\"Name\"": "Value\"\\"])
        #expect(try select(#"$['Test\""Name"']"#, document) == "Value\"\\")
    }

    @Test func referencePathsAreRecognised() throws {
        for text in ["$", "$.a", "$.a.b[0]", "$['a']", "$$.Execution.Input", "$var.x"] {
            #expect(try Path(text).isReferencePath, "\(text)")
        }
        for text in ["$.a[*]", "$..a", "$.a[1:2]", "$.a[0,1]", "$.a[?(@.x)]", "$.a.length()", "$.a[-1]", "$['a','b']"] {
            #expect(try !Path(text).isReferencePath, "\(text)")
        }
    }

    @Test func syntaxErrorsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("", "empty"),
            ("a.b", "must start with '$'"),
            ("$.", "cannot end with '.'"),
            ("$.a.", "cannot end with '.'"),
            ("$..", "cannot end with '..'"),
            ("$.a[", "unclosed '['"),
            ("$.a[0", "expected ']'"),
            ("$.a['b", "unterminated quoted name"),
            ("$.a b", "blanks"),
            ("$.a[x]", "expected an index"),
            ("$.a.nosuch()", "unknown path function"),
            ("$.a.length().b", "must come last"),
            ("@.a", "not '@'"),
            ("$.a[?(@.b ==)]", "unexpected character"),
            ("$.a[?(@.b =~ /[/)]", "invalid regular expression"),
            ("$.a[?(@.b =~ 'x')]", "needs a regular expression"),
            ("$.a[?(" + String(repeating: "(", count: 100) + "@.b" + String(repeating: ")", count: 100) + ")]", "nests too deeply"),
        ]
        for (text, fragment) in cases {
            do {
                _ = try Path(text)
                Issue.record("\(text) should not parse")
            } catch {
                #expect(error.message.contains(fragment), "\(text): \(error.message)")
            }
        }
    }
}

@Suite struct IndefinitePathTests {
    @Test func wildcards() throws {
        #expect(try select("$.items[*]") == [0, 1, 2, 3, 4])
        #expect(try select("$.store.bicycle.*") == ["red", 19.95])
        #expect(try select("$.store.book[*].author") == ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
    }

    @Test func slices() throws {
        #expect(try select("$.items[1:3]") == [1, 2])
        #expect(try select("$.items[:2]") == [0, 1])
        #expect(try select("$.items[3:]") == [3, 4])
        #expect(try select("$.items[-2:]") == [3, 4])
        #expect(try select("$.items[:-3]") == [0, 1])
        #expect(try select("$.items[4:10]") == [4])
        #expect(try select("$.items[3:1]") == [])
    }

    @Test func unions() throws {
        #expect(try select("$.items[0,2,4]") == [0, 2, 4])
        #expect(try select("$.items[0,9]") == [0])
        #expect(try select("$.store.bicycle['color','price']") == [["color": "red", "price": 19.95]])
    }

    @Test func recursiveDescent() throws {
        #expect(try select("$..price") == [8.95, 12.99, 8.99, 22.99, 19.95])
        #expect(try select("$..isbn") == ["0-553", "0-395"])
        #expect(try select("$..book[0].title") == ["Sayings"])
        #expect(try select("$..nothing") == [])
    }

    @Test func indefinitePathsOverMissingDataSelectAnEmptyArray() throws {
        // Recorded against AWS (json_path_array_wildcard_or_slice_with_no_input): [] rather than an error.
        for text in ["$.items[*]", "$.item.items[*]", "$.items[1:]", "$.items[:1].itemValue", "$[*]", "$.item.items[1:5].itemValue"] {
            #expect(try select(text, .object([:])) == [], "\(text)")
        }
    }

    @Test func scriptIndexFromTheEnd() throws {
        #expect(try select("$.items[(@.length-1)]") == 4)
        #expect(try select("$.items[(@.length-2)]") == 3)
        #expect(try select("$.items[(@.length-9)]") == nil)
    }

    @Test func functions() throws {
        #expect(try select("$.items.length()") == 5)
        #expect(try select("$.items.sum()") == 10.0)
        #expect(try select("$.items.max()") == 4.0)
        #expect(try select("$.items.min()") == 0.0)
        #expect(try select("$.items.avg()") == 2.0)
        #expect(try select("$.items.first()") == 0)
        #expect(try select("$.items.last()") == 4)
        #expect(try select("$.store.bicycle.keys()") == ["color", "price"])
        #expect(try select("$.store.book[*].length()") == 4)
        #expect(try select("$.store.bicycle.color.length()") == 3)
    }
}

@Suite struct FilterTests {
    @Test func comparisons() throws {
        #expect(try select("$.store.book[?(@.price < 10)].title") == ["Sayings", "Moby Dick"])
        #expect(try select("$.store.book[?(@.price <= 8.99)].title") == ["Sayings", "Moby Dick"])
        #expect(try select("$.store.book[?(@.price > 20)].title") == ["The Lord"])
        #expect(try select("$.store.book[?(@.price >= 12.99)].title") == ["Sword", "The Lord"])
        #expect(try select("$.store.book[?(@.category == 'reference')].title") == ["Sayings"])
        #expect(try select("$.store.book[?(@.category != \"fiction\")].title") == ["Sayings"])
        #expect(try select("$.items[?(@ > 2)]") == [3, 4])
    }

    @Test func recordedFilterOnStatus() throws {
        // Recorded against AWS (state_pass_regex_json_path_base).
        let users = json(#"{"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}"#)
        #expect(try select("$.users[?(@.status == 0)]", users) == [["year": 1997, "status": 0]])
    }

    @Test func existenceAndLogic() throws {
        #expect(try select("$.store.book[?(@.isbn)].title") == ["Moby Dick", "The Lord"])
        #expect(try select("$.store.book[?(!@.isbn)].title") == ["Sayings", "Sword"])
        #expect(try select("$.store.book[?(@.isbn && @.price < 10)].title") == ["Moby Dick"])
        #expect(try select("$.store.book[?(@.price < 9 || @.price > 20)].title") == ["Sayings", "Moby Dick", "The Lord"])
        #expect(try select("$.store.book[?((@.price < 9) && !(@.category == 'reference'))].title") == ["Moby Dick"])
    }

    @Test func numbersAndStringsCompareAsJaywayDoes() throws {
        #expect(try select("$.store.book[?(@.price == '8.95')].title") == ["Sayings"])
        #expect(try select("$.items[?(@ == '3')]") == [3])
        #expect(try select("$.store.book[?(@.isbn == 0)]") == [])
    }

    @Test func typeMismatchesAndMissingMembersAreFalse() throws {
        #expect(try select("$.store.book[?(@.price == true)]") == [])
        #expect(try select("$.store.book[?(@.nothing < 10)]") == [])
        #expect(try select("$.store.book[?(@.author > 5)]") == [])
    }

    @Test func setOperatorsRegexAndRootReferences() throws {
        #expect(try select("$.store.book[?(@.category in ['reference', 'poetry'])].title") == ["Sayings"])
        #expect(try select("$.store.book[?(@.category nin ['fiction'])].title") == ["Sayings"])
        #expect(try select("$.store.book[?(@.author =~ /.*Melville/)].title") == ["Moby Dick"])
        #expect(try select("$.store.book[?(@.author =~ /herman.*/i)].title") == ["Moby Dick"])
        #expect(try select("$.store.book[?(@.title size 5)].title") == ["Sword"])
        #expect(try select("$.store.book[?(@.price < $.store.bicycle.price)].title") == ["Sayings", "Sword", "Moby Dick"])
        #expect(try select("$.store.book[?(@.title contains 'Dick')].title") == ["Moby Dick"])
    }

    @Test func filtersInsideRecursiveDescent() throws {
        #expect(try select("$..book[?(@.price > 20)].author") == ["J. R. R. Tolkien"])
        #expect(try select("$..[?(@.color == 'red')].price") == [19.95])
    }
}

@Suite struct PathErrorTests {
    @Test func inputPathCauseTextsMatchAWS() throws {
        let scope = ExpressionScope(input: json(#"{"int-literal": 0}"#))
        // Recorded against AWS (invalid_jsonpath.ST.INVALID_JSONPATH_IN_INPUTPATH and catch_states_runtime).
        #expect(throws: ASLError(.runtime, "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']")) {
            try Path("$.NoSuchInputPath").value(in: scope)
        }
        #expect(throws: ASLError(.runtime, "Invalid path '$.no.such.result.path' : Missing property in path $['no']")) {
            try Path("$.no.such.result.path").value(in: ExpressionScope(input: .object([:])))
        }
        #expect(throws: ASLError(.runtime, "Invalid path '$.a[3]' : No results for path: $['a'][3]")) {
            try Path("$.a[3]").value(in: ExpressionScope(input: json(#"{"a": [1]}"#)))
        }
        #expect(try Path("$['int-literal']").value(in: scope) == 0)
        #expect(try Path("$.x[*]").value(in: scope) == [])
    }

    @Test func fieldCauseTextsMatchAWS() throws {
        let scope = ExpressionScope(input: json(#"{"int-literal": 0}"#))
        // Recorded against AWS (invalid_jsonpath.INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH, ...CAUSEPATH).
        #expect(throws: ASLError(.runtime, #"The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#)) {
            try Path("$.no_such_jsonpath").value(in: scope, field: "value.$")
        }
        #expect(throws: ASLError(.runtime, #"The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '{"int-literal":0}'"#)) {
            try Path("$.NoSuchCausePath").value(in: scope, field: "CausePath")
        }
    }

    @Test func wrongTypesAlongThePath() throws {
        let scope = ExpressionScope(input: json(#"{"a": "text", "b": {"c": 1}}"#))
        let ab = try Path("$.a.b")
        let error = aslError { () throws(ASLError) in try ab.value(in: scope) }
        #expect(error?.name == .runtime)
        #expect(error?.cause.hasPrefix("Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'") == true)
        let b0 = try Path("$.b[0]")
        #expect(aslError { () throws(ASLError) in try b0.value(in: scope) }?.cause == #"Invalid path '$.b[0]' : Filter: [0] can only be applied to arrays. Current context is: {"c":1}"#)
    }
}
