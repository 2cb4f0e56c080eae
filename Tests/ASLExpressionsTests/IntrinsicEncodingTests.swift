import BatonJSON
import Testing

@testable import ASLExpressions

@Suite struct EncodingAndHashTests {
    @Test func base64() throws {
        // Recorded against AWS (intrinsic_functions.encode_decode.*).
        #expect(try call("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU=")
        #expect(try call("States.Base64Encode('')") == "")
        #expect(try call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode")
        #expect(try call("States.Base64Decode('')") == "")
        #expect(try call("States.Base64Encode('é!')") == "w6kh")
        #expect(try call("States.Base64Decode('w6kh')") == "é!")
        #expect(try call("States.Base64Encode('ab')") == "YWI=")
    }

    @Test func base64BadArguments() throws {
        #expect(try callError("States.Base64Decode('abc!')") == ASLError(.intrinsicFailure, #"Invalid arguments in States.Base64Decode: the input is not valid Base64: "abc!""#))
        #expect(try callError("States.Base64Encode($.v)", input: #"{"v": 1}"#)?.name == .intrinsicFailure)
        let long = String(repeating: "a", count: 10_001)
        #expect(try callError("States.Base64Encode($.v)", input: "{\"v\": \"\(long)\"}") == ASLError(.intrinsicFailure, "Invalid arguments in States.Base64Encode: the input must be at most 10000 characters long, but has 10001"))
    }

    @Test func hashes() throws {
        // Recorded against AWS (intrinsic_functions.hash_calculations.hash.*).
        let expected: [(String, String)] = [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            ("SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"),
            ("SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"),
        ]
        for (algorithm, digest) in expected {
            #expect(try call("States.Hash($.d, $.a)", input: "{\"d\": \"input data\", \"a\": \"\(algorithm)\"}") == .string(digest))
        }
    }

    @Test func hashBadArguments() throws {
        #expect(try callError("States.Hash('x', $.a)", input: #"{"a": "sha-256"}"#) == ASLError(.intrinsicFailure, #"Invalid arguments in States.Hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was "sha-256""#))
        #expect(try callError("States.Hash($.d, 'MD5')", input: #"{"d": 5}"#)?.name == .intrinsicFailure)
    }
}
