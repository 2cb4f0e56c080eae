import ASLChoice
import ASLExpressions
import BatonJSON
import Testing

/// Parses `text` as a top-level Choice rule at `/Choices/0`, failing the test with the problems if any.
func branch(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ChoiceBranch {
    let json = try JSON(parsing: text)
    do {
        return try ChoiceRule.parseBranch(json, location: "/Choices/0")
    } catch {
        Issue.record("unexpected problems: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The problems parsing `text` as a top-level rule at `/Choices/0` reports (empty when it parses).
func problems(_ text: String) throws -> [ChoiceRuleProblem] {
    let json = try JSON(parsing: text)
    do {
        _ = try ChoiceRule.parseBranch(json, location: "/Choices/0")
        return []
    } catch {
        return error.problems
    }
}

/// Evaluates the rule `text` (without `Next`) against `input`.
func matches(_ text: String, _ input: JSON) throws -> Bool {
    var object = try JSON(parsing: text).objectValue ?? [:]
    object["Next"] = "Target"
    let parsed = try ChoiceRule.parseBranch(.object(object), location: "/Choices/0")
    return try parsed.rule.evaluate(in: ExpressionScope(input: input, context: [:], variables: [:]))
}

/// The error evaluating the rule `text` against `input` throws, or nil when it does not throw.
func evaluationError(_ text: String, _ input: JSON) throws -> ASLError? {
    var object = try JSON(parsing: text).objectValue ?? [:]
    object["Next"] = "Target"
    let parsed = try ChoiceRule.parseBranch(.object(object), location: "/Choices/0")
    do {
        _ = try parsed.rule.evaluate(in: ExpressionScope(input: input, context: [:], variables: [:]))
        return nil
    } catch {
        return error
    }
}
