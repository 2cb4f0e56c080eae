// The common input and output processing of every state, written once, in AWS's order:
//
//   state input ─InputPath→ ─Parameters/ItemSelector→ effective input → (the state's work) → result
//   result ─ResultSelector→ ─ResultPath (into the state input)→ ─OutputPath→ state output
//
// Pass uses `Result` as its result (or the effective input), Task the function's result, Map and Parallel
// the array of child outputs. A caught error's output `{"Error","Cause"}` goes through the catcher's
// ResultPath only. JSONata (`Arguments`/`Output`) will be a second implementation of these two steps,
// chosen per state by its query language.

import BatonJSON
import ASLExpressions

enum IOPipeline {
    /// `InputPath`, then `Parameters`.
    static func effectiveInput(_ io: StateIO, input: JSON, context: JSON, random: inout SeededRandom) throws(ASLError) -> JSON {
        let filtered = try select(io.inputPath, in: input, context: context)
        guard let parameters = io.parameters else { return filtered }
        return try parameters.evaluate(in: ExpressionScope(input: filtered, context: context), random: &random)
    }

    /// `ResultSelector`, `ResultPath`, `OutputPath`.
    static func output(_ io: StateIO, input: JSON, result: JSON, context: JSON, random: inout SeededRandom) throws(ASLError) -> JSON {
        var selected = result
        if let selector = io.resultSelector {
            selected = try selector.evaluate(in: ExpressionScope(input: result, context: context), random: &random)
        }
        let combined = try place(selected, at: io.resultPath, in: input)
        return try select(io.outputPath, in: combined, context: context)
    }

    /// `InputPath`/`OutputPath`.
    static func select(_ field: PathField, in value: JSON, context: JSON) throws(ASLError) -> JSON {
        switch field {
        case .identity: return value
        case .discard: return .object([:])
        case .path(let path): return try path.path.value(in: ExpressionScope(input: value, context: context))
        }
    }

    /// `ResultPath` (also a catcher's).
    static func place(_ result: JSON, at resultPath: ResultPath, in input: JSON) throws(ASLError) -> JSON {
        switch resultPath {
        case .replace: return result
        case .discard: return input
        case .path(let path): return try path.path.setting(result, in: input)
        }
    }
}
