import Foundation
import Testing
@testable import BatonJSON

/// The streaming encoder against Foundation's JSONEncoder: the same values, decodable by JSONDecoder.
@Suite struct JSONTextEncoderTests {
    enum Phase: Codable, Equatable {
        case idle
        case waiting(id: Int, until: Date?)
        case named(String, [Int])
    }

    struct Inner: Codable, Equatable {
        var text: String
        var numbers: [Double]
        var flags: [String: Bool]
    }

    struct Empty: Codable, Equatable {}

    struct Outer: Codable, Equatable {
        var id: Int64
        var small: UInt8
        var name: String?
        var missing: String?
        var inner: Inner
        var inners: [Inner]
        var phase: Phase
        var phases: [Phase]
        var byNumber: [Int: String]
        var nested: [[Int]]
        var empty: Empty
        var when: Date
        var data: Data
        var url: URL
        var ratio: Float
    }

    static let sample = Outer(
        id: 9_007_199_254_740_993, small: 255, name: "caf\u{e9} \"quoted\"\n\\ \u{1}", missing: nil,
        inner: Inner(text: "", numbers: [0.1, -2.5e-7, 1e300, 3], flags: ["a": true, "b": false]),
        inners: [], phase: .waiting(id: 7, until: nil),
        phases: [.idle, .named("x", [1, 2]), .waiting(id: 1, until: Date(timeIntervalSinceReferenceDate: 817_513_523.2341974))],
        byNumber: [1: "one", -2: "minus two"], nested: [[], [1], [2, 3]], empty: Empty(),
        when: Date(timeIntervalSinceReferenceDate: 1.5), data: Data([0, 1, 254, 255]),
        url: URL(string: "https://example.com/a?b=c")!, ratio: 0.25)

    @Test func decodesToTheSameValueAsJSONEncoderOutput() throws {
        let streamed = try JSONTextEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(Outer.self, from: Data(streamed)) == Self.sample)
        let foundation = try JSONEncoder().encode(Self.sample)
        #expect(try JSON(parsing: streamed).serialized(.sortedKeys) == JSON(parsing: foundation).serialized(.sortedKeys))
    }

    @Test func writesCompactTextInEncodingOrder() throws {
        let text = try JSONTextEncoder().encodeToString(Inner(text: "t", numbers: [1.5], flags: [:]))
        #expect(text == #"{"text":"t","numbers":[1.5],"flags":{}}"#)
        #expect(try JSONTextEncoder().encodeToString(Phase.waiting(id: 3, until: nil)) == #"{"waiting":{"id":3}}"#)
        #expect(try JSONTextEncoder().encodeToString(Empty()) == "{}")
        #expect(try JSONTextEncoder().encodeToString([String?.none, "a"]) == #"[null,"a"]"#)
        #expect(try JSONTextEncoder().encodeToString("top") == #""top""#)
    }

    @Test func rejectsNonFiniteNumbersWithThePath() throws {
        #expect {
            try JSONTextEncoder().encode(Inner(text: "", numbers: [1, .nan], flags: [:]))
        } throws: { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["numbers", "Index 1"]
        }
    }

    /// Hand-written code that writes into a container after a later nested container of its parent took its
    /// place cannot be streamed: it is an error, not malformed JSON.
    struct LateWriter: Encodable {
        enum Key: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Key.self)
            var first = outer.nestedContainer(keyedBy: Key.self, forKey: .a)
            try outer.encode(1, forKey: .b)
            try first.encode(2, forKey: .a)
        }
    }

    @Test func aWriteIntoAClosedContainerIsAnError() {
        #expect(throws: EncodingError.self) { try JSONTextEncoder().encode(LateWriter()) }
    }
}
