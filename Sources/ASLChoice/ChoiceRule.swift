// The typed form of a JSONPath-mode Choice rule. A rule is a tree: `And`/`Or`/`Not` combinators over
// comparisons, each comparison one operator applied to the value a `Variable` path selects and an operand
// that is either a literal (checked and converted at parse time: a number, a timestamp, a compiled
// `StringMatches` pattern) or a path into the same scope (the `…Path` operators).

import ASLExpressions
import BatonJSON

/// A parsed Choice rule (JSONPath mode). Top-level rules come wrapped in a ``ChoiceBranch`` with their `Next`.
public indirect enum ChoiceRule: Sendable {
    /// A comparison of the value at a `Variable` path.
    case comparison(ChoiceComparison)
    /// `And`: every rule matches (evaluated in order, stopping at the first that does not).
    case and([ChoiceRule])
    /// `Or`: some rule matches (evaluated in order, stopping at the first that does).
    case or([ChoiceRule])
    /// `Not`: the rule does not match.
    case not(ChoiceRule)
}

/// A top-level Choice rule and the state it leads to when it matches.
public struct ChoiceBranch: Sendable {
    /// The rule.
    public var rule: ChoiceRule
    /// The name of the next state (`Next`).
    public var next: String

    /// Pairs a rule with its `Next`.
    public init(rule: ChoiceRule, next: String) {
        self.rule = rule
        self.next = next
    }
}

/// A path in a Choice rule (`Variable` or the operand of a `…Path` operator), kept with its text for messages.
public struct ChoicePath: Sendable, CustomStringConvertible {
    /// The path as written.
    public let text: String
    /// The parsed path.
    public let path: Path

    /// Parses `text`.
    public init(_ text: String) throws(PathSyntaxError) {
        self.text = text
        self.path = try Path(text)
    }

    /// The path as written.
    public var description: String { text }
}

/// The right-hand side of a comparison.
public enum ChoiceOperand: Sendable {
    /// The operand of a `String…` operator.
    case string(String)
    /// The operand of `StringMatches`.
    case pattern(StringPattern)
    /// The operand of a `Numeric…` operator.
    case number(JSONNumber)
    /// The operand of `BooleanEquals` or of an `Is…` test.
    case boolean(Bool)
    /// The operand of a `Timestamp…` operator.
    case timestamp(ASLTimestamp)
    /// The operand of a `…Path` operator: the value is read from the scope when the rule is evaluated.
    case path(ChoicePath)
}

/// One comparison: `Variable`, an operator and its operand.
public struct ChoiceComparison: Sendable {
    /// The path of the value being tested (`Variable`).
    public var variable: ChoicePath
    /// The operator, without any `Path` suffix.
    public var `operator`: ChoiceOperator
    /// The operand; ``ChoiceOperand/path(_:)`` exactly when the rule used the `…Path` form.
    public var operand: ChoiceOperand

    /// Creates a comparison.
    public init(variable: ChoicePath, operator: ChoiceOperator, operand: ChoiceOperand) {
        self.variable = variable
        self.operator = `operator`
        self.operand = operand
    }

    /// The operator's field name as written in the rule (`NumericEqualsPath`, `IsPresent`, …).
    public var fieldName: String {
        if case .path = operand { return `operator`.fieldName(path: true) }
        return `operator`.fieldName(path: false)
    }
}
