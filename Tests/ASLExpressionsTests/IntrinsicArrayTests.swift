import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct ArrayIntrinsicTests {
    @Test func array() throws {
        #expect(try call("States.Array($.a, $.b)", input: #"{"a": {"x": []}, "b": null}"#) == [["x": []], nil])
    }

    @Test func arrayPartition() throws {
        // Recorded against AWS (intrinsic_functions.array.array_partition.*).
        #expect(try call("States.ArrayPartition($.a, 2)", input: #"{"a": [0, 1, 2]}"#) == [[0, 1], [2]])
        #expect(try call("States.ArrayPartition($.a, 3)", input: #"{"a": [0, 1, 2, 3]}"#) == [[0, 1, 2], [3]])
        #expect(try call("States.ArrayPartition($.a, 5)", input: #"{"a": []}"#) == [])
        #expect(try call("States.ArrayPartition($.a, 1)", input: #"{"a": [0, 1]}"#) == [[0], [1]])
        #expect(try call("States.ArrayPartition($.a, 9223372036854775807)", input: #"{"a": [0, 1]}"#) == [[0, 1]])
    }

    @Test func arrayPartitionRejectsABadChunkSize() throws {
        #expect(try callError("States.ArrayPartition($.a, 0)", input: #"{"a": [1]}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer, but was 0"))
        #expect(try callError("States.ArrayPartition($.a, 1.5)", input: #"{"a": [1]}"#)?.name == .intrinsicFailure)
        #expect(try callError("States.ArrayPartition($.a, 2)", input: #"{"a": "x"}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayPartition: the first argument must be an array, but was string \"x\""))
    }

    @Test func arrayContains() throws {
        // Recorded against AWS (intrinsic_functions.array.array_contains.*).
        #expect(try call("States.ArrayContains($.a, $.v)", input: #"{"a": [[1, 2, 3], 2], "v": [1, 2, 3]}"#) == true)
        #expect(try call("States.ArrayContains($.a, $.v)", input: #"{"a": [{"1": 2, "2": []}], "v": {"1": 2, "2": []}}"#) == true)
        #expect(try call("States.ArrayContains($.a, $.v)", input: #"{"a": [[1, 2, 3], 2], "v": null}"#) == false)
        #expect(try call("States.ArrayContains($.a, $.v)", input: #"{"a": [true, false], "v": false}"#) == true)
        #expect(try call("States.ArrayContains($.a, 3)", input: #"{"a": []}"#) == false)
        #expect(try callError("States.ArrayContains($.a, 3)", input: #"{"a": {}}"#)?.name == .intrinsicFailure)
    }

    @Test func arrayRange() throws {
        // Recorded against AWS (intrinsic_functions.array.array_range.*).
        #expect(try call("States.ArrayRange(0, 9, 3)") == [0, 3, 6, 9])
        #expect(try call("States.ArrayRange(0, 10, 3)") == [0, 3, 6, 9])
        #expect(try call("States.ArrayRange(1, 9, 9)") == [1])
        #expect(try call("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9])
        #expect(try call("States.ArrayRange(5, 1, -2)") == [5, 3, 1])
        #expect(try call("States.ArrayRange(5, 1, 2)") == [])
        #expect(try call("States.ArrayRange(1, 1000, 1)").arrayValue?.count == 1000)
    }

    @Test func arrayRangeLimits() throws {
        #expect(try callError("States.ArrayRange(0, 1000, 1)") == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayRange: the range would have 1001 elements; at most 1000 are allowed"))
        #expect(try callError("States.ArrayRange(0, 10, 0)") == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayRange: the step must not be 0"))
        #expect(try callError("States.ArrayRange(0, 10.5, 1)")?.name == .intrinsicFailure)
        #expect(try callError("States.ArrayRange(-9000000000000000000, 9000000000000000000, 1)")?.name == .intrinsicFailure)
        #expect(try call("States.ArrayRange(9000000000000000000, -9000000000000000000, 1)") == [])
        #expect(try call("States.ArrayRange(9223372036854775806, 9223372036854775807, 9000000000000000000)") == [.number(.int(9_223_372_036_854_775_806))])
    }

    @Test func arrayGetItem() throws {
        // Recorded against AWS (intrinsic_functions.array.array_get_item).
        #expect(try call("States.ArrayGetItem($.a, $.i)", input: #"{"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "i": 5}"#) == 6)
        #expect(try callError("States.ArrayGetItem($.a, 3)", input: #"{"a": [1]}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array of 1 element(s)"))
        #expect(try callError("States.ArrayGetItem($.a, -1)", input: #"{"a": [1]}"#)?.name == .intrinsicFailure)
    }

    @Test func arrayLength() throws {
        #expect(try call("States.ArrayLength($.a)", input: #"{"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}"#) == 9)
        #expect(try call("States.ArrayLength($.a)", input: #"{"a": []}"#) == 0)
        #expect(try callError("States.ArrayLength($.a)", input: #"{"a": null}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.ArrayLength: the first argument must be an array, but was null null"))
    }

    @Test func arrayUnique() throws {
        #expect(try call("States.ArrayUnique($.a)", input: #"{"a": [1, 2, 2, 3, 3, 4, "1", null, null, {"a": 1}, {"a": 1}]}"#) == [1, 2, 3, 4, "1", nil, ["a": 1]])
        #expect(try callError("States.ArrayUnique($.a)", input: #"{"a": 1}"#)?.name == .intrinsicFailure)
    }
}
