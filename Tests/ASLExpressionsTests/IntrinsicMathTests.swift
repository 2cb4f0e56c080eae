import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct MathAndUUIDTests {
    @Test func mathAddRoundsEachArgumentHalfUp() throws {
        // Recorded against AWS (intrinsic_functions.math_operations.math_add.*).
        let cases: [(String, String, Int)] = [
            ("-9", "3", -6), ("1.49", "1.5", 3), ("1.5", "1.51", 4), ("-1.49", "-1.5", -2), ("-1.5", "-1.51", -3),
            ("1.49", "-1.49", 0), ("0.5", "0", 1), ("2.5", "0", 3), ("-0.5", "0.5", 1), ("-0.5", "0", 0),
            ("-2.5", "0", -2), ("-3.5", "0", -3),
        ]
        for (a, b, sum) in cases {
            #expect(try call("States.MathAdd($.a, $.b)", input: "{\"a\": \(a), \"b\": \(b)}") == .int(sum), "\(a) + \(b)")
        }
        #expect(try call("States.MathAdd(2147483647, 1)") == .number(.int(2_147_483_648)))
    }

    @Test func mathAddBadArguments() throws {
        #expect(try callError("States.MathAdd($.a, 1)", input: #"{"a": "1"}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.MathAdd: the first argument must be a number, but was string \"1\""))
        #expect(try callError("States.MathAdd($.a, 1)", input: #"{"a": 3000000000}"#) == ASLError(.intrinsicFailure, "Invalid arguments in States.MathAdd: the first argument must be within the 32-bit integer range, but was 3000000000"))
    }

    @Test func mathRandomStaysInRangeAndFollowsTheRandomSource() throws {
        for seed in 0..<200 as Range<UInt64> {
            let value = try call("States.MathRandom(-5, 5)", seed: seed).intValue!
            #expect((-5..<5).contains(value))
        }
        #expect(try call("States.MathRandom(0, 1000000)", seed: 3) == call("States.MathRandom(0, 1000000)", seed: 3))
        #expect(try call("States.MathRandom(0, 1000000)", seed: 3) != call("States.MathRandom(0, 1000000)", seed: 4))
        #expect(try (12..<45).contains(call("States.MathRandom($.a, $.b)", input: #"{"a": 12.5, "b": 44.51}"#).intValue!))
    }

    @Test func seededMathRandomIsJavaRandom() throws {
        // Values printed by Java: new java.util.Random(3).nextInt(999) is 239, new Random(42).nextInt(10) is 0,
        // new Random(-7).nextInt(1024) is 275. With the same seed AWS gives the same number every time.
        #expect(try call("States.MathRandom(0, 999, 3)") == 239)
        #expect(try call("States.MathRandom(100, 110, 42)") == 100)
        #expect(try call("States.MathRandom(0, 1024, -7)") == 275)
        #expect(try call("States.MathRandom(10, 20, 42)", seed: 1) == call("States.MathRandom(10, 20, 42)", seed: 2))
    }

    @Test func mathRandomBadArguments() throws {
        #expect(try callError("States.MathRandom(5, 5)") == ASLError(.intrinsicFailure, "Invalid arguments in States.MathRandom: the start (5) must be less than the end (5)"))
        #expect(try callError("States.MathRandom($.a, 5)", input: #"{"a": null}"#)?.name == .intrinsicFailure)
    }

    @Test func uuidIsAVersion4UUIDFromTheRandomSource() throws {
        let uuid = try call("States.UUID()", seed: 9).stringValue!
        let pattern = #/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/#
        #expect(uuid.wholeMatch(of: pattern) != nil, "\(uuid)")
        #expect(try call("States.UUID()", seed: 9) == .string(uuid))
        #expect(try call("States.UUID()", seed: 10) != .string(uuid))
    }
}
