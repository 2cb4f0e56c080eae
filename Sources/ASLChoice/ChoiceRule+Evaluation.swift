// Evaluating a Choice rule as AWS Step Functions does:
// - A `Variable` (or `…Path` operand) that selects nothing fails the state with `States.Runtime`, except
//   under `IsPresent`, which exists to test exactly that.
// - A value of the wrong type never matches and never fails: `NumericEquals` on a string, `BooleanEquals` on
//   `1`, `TimestampEquals` on a string that is not a timestamp are all simply false.
// - Numbers compare by value (`1` equals `1.0`); strings by UTF-16 code units with no normalisation (as
//   Java's `String.compareTo`); timestamps as instants, whatever offset they were written with.
// - `And`/`Or` stop at the first rule that decides them, so `IsPresent` can guard a later comparison.

import ASLExpressions
import BatonJSON

extension ChoiceRule {
    /// Whether the rule matches in `scope`; throws `States.Runtime` (with AWS's cause) where AWS fails the state.
    public func evaluate(in scope: ExpressionScope) throws(ASLError) -> Bool {
        switch self {
        case .comparison(let comparison):
            return try comparison.evaluate(in: scope)
        case .and(let rules):
            for rule in rules where try !rule.evaluate(in: scope) { return false }
            return true
        case .or(let rules):
            for rule in rules where try rule.evaluate(in: scope) { return true }
            return false
        case .not(let rule):
            return try !rule.evaluate(in: scope)
        }
    }
}

extension ChoiceComparison {
    /// Whether the comparison holds in `scope`; throws `States.Runtime` when a path selects nothing
    /// (except the `Variable` of `IsPresent`).
    public func evaluate(in scope: ExpressionScope) throws(ASLError) -> Bool {
        let selected = variable.path.select(in: scope)
        if `operator` == .isPresent, case .boolean(let expected) = operand {
            return (selected != nil) == expected
        }
        guard let value = selected else { throw Self.invalidPath(variable.text) }

        switch operand {
        case .path(let operandPath):
            guard let other = operandPath.path.select(in: scope) else { throw Self.invalidPath(operandPath.text) }
            return Self.compare(value, `operator`, to: other)
        case .boolean(let expected) where `operator`.family == .typeTest:
            return Self.typeTest(`operator`, value) == expected
        case .boolean(let flag):
            return Self.compare(value, `operator`, to: .bool(flag))
        case .string(let text):
            return Self.compare(value, `operator`, to: .string(text))
        case .number(let number):
            return Self.compare(value, `operator`, to: .number(number))
        case .timestamp(let timestamp):
            guard case .string(let text) = value, let left = ASLTimestamp(text) else { return false }
            return Self.holds(`operator`.relation, Self.order(left, timestamp))
        case .pattern(let pattern):
            guard case .string(let text) = value else { return false }
            return pattern.matches(text)
        }
    }

    /// AWS's error for a path in a Choice rule that selects nothing.
    static func invalidPath(_ path: String) -> ASLError {
        ASLError(.runtime, "Invalid path '\(path)': The choice state's condition path references an invalid value.")
    }

    /// An `Is…` test of `value` (`IsPresent` is decided before a value exists).
    static func typeTest(_ op: ChoiceOperator, _ value: JSON) -> Bool {
        switch op {
        case .isNull: return value.isNull
        case .isNumeric: return value.numberValue != nil
        case .isString: return value.stringValue != nil
        case .isBoolean: return value.boolValue != nil
        case .isTimestamp: return value.stringValue.map(ASLTimestamp.isValid) ?? false
        case .isPresent: return true
        default: return false
        }
    }

    /// A String, Numeric, Boolean or Timestamp comparison of two JSON values; `false` when either is not of
    /// the operator's type.
    static func compare(_ left: JSON, _ op: ChoiceOperator, to right: JSON) -> Bool {
        let ordering: Ordering?
        switch (op.family, left, right) {
        case (.string, .string(let a), .string(let b)):
            if op == .stringMatches { return StringPattern(b).matches(a) }
            ordering = order(a, b)
        case (.numeric, .number(let a), .number(let b)):
            ordering = a == b ? .same : (a < b ? .before : .after)
        case (.boolean, .bool(let a), .bool(let b)):
            ordering = a == b ? .same : nil
        case (.timestamp, .string(let a), .string(let b)):
            guard let a = ASLTimestamp(a), let b = ASLTimestamp(b) else { return false }
            ordering = order(a, b)
        default:
            return false
        }
        return holds(op.relation, ordering)
    }

    enum Ordering { case before, same, after }

    static func order<T: Comparable>(_ a: T, _ b: T) -> Ordering {
        a == b ? .same : (a < b ? .before : .after)
    }

    /// Orders strings by UTF-16 code units, as AWS (Java) does; Swift's own `<` and `==` would treat
    /// canonically equivalent strings (`é` and `e` + combining acute) as equal.
    static func order(_ a: String, _ b: String) -> Ordering {
        if a.utf16.elementsEqual(b.utf16) { return .same }
        return a.utf16.lexicographicallyPrecedes(b.utf16) ? .before : .after
    }

    static func holds(_ relation: ChoiceOperator.Relation?, _ ordering: Ordering?) -> Bool {
        guard let relation, let ordering else { return false }
        switch relation {
        case .equals: return ordering == .same
        case .lessThan: return ordering == .before
        case .greaterThan: return ordering == .after
        case .lessThanEquals: return ordering != .after
        case .greaterThanEquals: return ordering != .before
        }
    }
}
