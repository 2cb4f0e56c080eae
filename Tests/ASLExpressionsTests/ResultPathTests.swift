import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct ResultPathTests {
    @Test func rootReplacesTheDocument() throws {
        #expect(try Path("$").setting(["r": 1], in: ["a": 1]) == ["r": 1])
    }

    @Test func setsAMemberKeepingTheOthersInOrder() throws {
        let result = try Path("$.final").setting("x", in: json(#"{"b": 1, "a": 2}"#))
        #expect(result.serialized() == #"{"b":1,"a":2,"final":"x"}"#)
        let replaced = try Path("$.b").setting("x", in: json(#"{"b": 1, "a": 2}"#))
        #expect(replaced.serialized() == #"{"b":"x","a":2}"#)
    }

    @Test func createsIntermediateObjects() throws {
        #expect(try Path("$.a.b.c").setting(1, in: .object([:])) == json(#"{"a": {"b": {"c": 1}}}"#))
        #expect(try Path("$.a.b").setting(1, in: json(#"{"a": {"x": 0}}"#)) == json(#"{"a": {"x": 0, "b": 1}}"#))
        #expect(try Path("$['a b'].c").setting(1, in: .object([:])) == json(#"{"a b": {"c": 1}}"#))
    }

    @Test func setsAnExistingArrayElement() throws {
        #expect(try Path("$.a[1].b").setting(9, in: json(#"{"a": [{}, {"c": 0}]}"#)) == json(#"{"a": [{}, {"c": 0, "b": 9}]}"#))
    }

    @Test func failsOnSomethingThatIsNotAnObject() throws {
        // The cause AWS gives (seen in the wild): the input is written as JSON.
        let p = try Path("$.partitioned")
        let error = aslError { () throws(ASLError) in try p.setting(1, in: "{\"min\":1}") }
        #expect(error == ASLError(.resultPathMatchFailure, #"Unable to apply ReferencePath $.partitioned to input "{\"min\":1}""#))
        let deep = try Path("$.a.b")
        #expect(aslError { () throws(ASLError) in try deep.setting(1, in: ["a": 5]) }?.name == .resultPathMatchFailure)
        let index = try Path("$.a[3]")
        #expect(aslError { () throws(ASLError) in try index.setting(1, in: ["a": [1]]) }?.name == .resultPathMatchFailure)
        let missingArray = try Path("$.a[0].b")
        #expect(aslError { () throws(ASLError) in try missingArray.setting(1, in: .object([:])) }?.name == .resultPathMatchFailure)
    }

    @Test func refusesPathsThatAreNotReferencePaths() throws {
        let wildcard = try Path("$.a[*]")
        #expect(aslError { () throws(ASLError) in try wildcard.setting(1, in: ["a": [1]]) }?.name == .resultPathMatchFailure)
    }

    @Test func setsInPlace() throws {
        var document = json(#"{"a": {"b": [1, 2]}, "c": 3}"#)
        try Path("$.a.d").set("new", in: &document)
        #expect(document == json(#"{"a": {"b": [1, 2], "d": "new"}, "c": 3}"#))
    }
}
