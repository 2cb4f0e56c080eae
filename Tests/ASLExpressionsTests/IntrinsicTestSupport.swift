import BatonJSON

@testable import ASLExpressions

/// Parses and runs an intrinsic call against `input` (a JSON text).
func call(_ text: String, input: String = "{}", seed: UInt64 = 1) throws -> JSON {
    var random = SeededRandom(seed: seed)
    return try IntrinsicCall(text).evaluate(in: ExpressionScope(input: json(input)), random: &random)
}

/// The error a call raises at run time (nil if it succeeds; a syntax error is a test failure).
func callError(_ text: String, input: String = "{}") throws -> ASLError? {
    let parsed = try IntrinsicCall(text)
    var random = SeededRandom(seed: 1)
    let scope = ExpressionScope(input: json(input))
    return aslError { () throws(ASLError) in try parsed.evaluate(in: scope, random: &random) }
}

/// The message of the syntax error parsing `text` raises (nil if it parses).
func syntaxError(_ text: String) -> String? {
    do {
        _ = try IntrinsicCall(text)
        return nil
    } catch {
        return error.message
    }
}
