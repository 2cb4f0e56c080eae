import Testing
@testable import BatonJSON

@Suite struct JSONParsingTests {
    @Test func parsesEveryKindOfValue() throws {
        let json = try JSON(parsing: #" {"a": [1, -2.5, 1e3, true, false, null, "x\u00e9\n"], "b": {}} "#)
        #expect(json["a"]?[0] == .number(.int(1)))
        #expect(json["a"]?[1] == .double(-2.5))
        #expect(json["a"]?[2] == .double(1000))
        #expect(json["a"]?[3] == true)
        #expect(json["a"]?[5] == .null)
        #expect(json["a"]?[6] == "xé\n")
        #expect(json["b"] == .object([:]))
    }

    @Test func keepsKeyOrder() throws {
        let json = try JSON(parsing: #"{"z":1,"a":2,"m":3}"#)
        #expect(json.serialized() == #"{"z":1,"a":2,"m":3}"#)
        #expect(json.serialized(.sortedKeys) == #"{"a":2,"m":3,"z":1}"#)
    }

    @Test func keepsIntegersExact() throws {
        let json = try JSON(parsing: "9007199254740993")
        #expect(json.serialized() == "9007199254740993")
        #expect(try JSON(parsing: "1.0").serialized() == "1.0")
        #expect(try JSON(parsing: "99999999999999999999").doubleValue == 1e20)
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSON(parsing: #""\ud83d\ude00""#) == "😀")
    }

    @Test func reportsWhereTheTextIsWrong() {
        #expect(throws: JSONParseError.self) { try JSON(parsing: "{\"a\": 1,\n \"b\" 2}") }
        do {
            _ = try JSON(parsing: "{\"a\": 1,\n \"b\" 2}")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 6)
            #expect(error.message.contains("expected ':'"))
        }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "[1,]") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "01") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "\"\u{1}\"") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "1 2") }
    }

    @Test func refusesNestingPastTheLimit() {
        let deep = String(repeating: "[", count: JSON.maximumDepth + 1) + String(repeating: "]", count: JSON.maximumDepth + 1)
        #expect(throws: JSONParseError.self) { try JSON(parsing: deep) }
        let ok = String(repeating: "[", count: JSON.maximumDepth) + String(repeating: "]", count: JSON.maximumDepth)
        #expect((try? JSON(parsing: ok)) != nil)
    }
}

@Suite struct JSONValueTests {
    @Test func comparesNumbersByValueAndObjectsWithoutOrder() throws {
        #expect(JSON.int(1) == JSON.double(1.0))
        #expect(JSON.int(1).hashValue == JSON.double(1.0).hashValue)
        let a = try JSON(parsing: #"{"x":1,"y":[2]}"#)
        let b = try JSON(parsing: #"{"y":[2],"x":1.0}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSON.bool(true) != JSON.int(1))
    }

    @Test func escapesOnWrite() {
        let s: JSON = "a\"b\\c\u{1}/é"
        #expect(s.serialized() == #""a\"b\\c\u0001/é""#)
    }

    @Test func writesPretty() {
        let v: JSON = ["a": [1, 2], "b": [:]]
        #expect(v.serialized(.pretty) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test func roundTripsCodable() throws {
        struct Point: Codable, Equatable { var x: Int; var label: String }
        let json = try JSON(encoding: Point(x: 3, label: "p"))
        #expect(json["x"] == 3)
        #expect(json.serialized() == #"{"x":3,"label":"p"}"#, "members in declaration order")
        #expect(try json.decode(Point.self) == Point(x: 3, label: "p"))
    }
}
