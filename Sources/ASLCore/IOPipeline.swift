// The common input and output processing of every state, written once, in AWS's order:
//
//   state input ─InputPath→ ─Parameters/ItemSelector→ effective input → (the state's work) → result
//   result ─ResultSelector→ ─ResultPath (into the state input)→ ─OutputPath→ state output
//
// Pass uses `Result` as its result (or the effective input), Task the function's result, Map and Parallel
// the array of child outputs. A caught error's output `{"Error","Cause"}` goes through the catcher's
// ResultPath only. A JSONPath-mode `Assign` reads the result after ResultSelector (`selectResult`), which is
// why the output step is also available in two halves. JSONata (`Arguments`/`Output`) will be a second
// implementation of these two steps, chosen per state by its query language.

import BatonJSON
import ASLExpressions

enum IOPipeline {
    /// `InputPath`, then `Parameters`.
    static func effectiveInput(_ io: StateIO, input: JSON, context: JSON, variables: JSONObject,
                               random: inout SeededRandom) throws(ASLError) -> JSON {
        let filtered = try select(io.inputPath, in: input, context: context, variables: variables)
        guard let parameters = io.parameters else { return filtered }
        return try parameters.evaluate(in: ExpressionScope(input: filtered, context: context, variables: variables), random: &random)
    }

    /// `ResultSelector`, `ResultPath`, `OutputPath`.
    static func output(_ io: StateIO, input: JSON, result: JSON, context: JSON, variables: JSONObject,
                       random: inout SeededRandom) throws(ASLError) -> JSON {
        let selected = try selectResult(io, result: result, context: context, variables: variables, random: &random)
        return try output(io, input: input, selected: selected, context: context, variables: variables)
    }

    /// `ResultSelector` alone: the result `Assign` reads in JSONPath mode.
    static func selectResult(_ io: StateIO, result: JSON, context: JSON, variables: JSONObject,
                             random: inout SeededRandom) throws(ASLError) -> JSON {
        guard let selector = io.resultSelector else { return result }
        return try selector.evaluate(in: ExpressionScope(input: result, context: context, variables: variables), random: &random)
    }

    /// `ResultPath`, then `OutputPath`, on a result that went through `ResultSelector`.
    static func output(_ io: StateIO, input: JSON, selected: JSON, context: JSON, variables: JSONObject) throws(ASLError) -> JSON {
        let combined = try place(selected, at: io.resultPath, in: input)
        return try select(io.outputPath, in: combined, context: context, variables: variables)
    }

    /// `InputPath`/`OutputPath`.
    static func select(_ field: PathField, in value: JSON, context: JSON, variables: JSONObject) throws(ASLError) -> JSON {
        switch field {
        case .identity: return value
        case .discard: return .object([:])
        case .path(let path): return try path.path.value(in: ExpressionScope(input: value, context: context, variables: variables))
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
