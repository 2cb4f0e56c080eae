/// A comparison operator of a JSONPath Choice rule, named as in ASL without the `Path` suffix
/// (`NumericEqualsPath` is ``numericEquals`` with a path operand).
public enum ChoiceOperator: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringLessThan = "StringLessThan"
    case stringGreaterThan = "StringGreaterThan"
    case stringLessThanEquals = "StringLessThanEquals"
    case stringGreaterThanEquals = "StringGreaterThanEquals"
    case stringMatches = "StringMatches"
    case numericEquals = "NumericEquals"
    case numericLessThan = "NumericLessThan"
    case numericGreaterThan = "NumericGreaterThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case booleanEquals = "BooleanEquals"
    case timestampEquals = "TimestampEquals"
    case timestampLessThan = "TimestampLessThan"
    case timestampGreaterThan = "TimestampGreaterThan"
    case timestampLessThanEquals = "TimestampLessThanEquals"
    case timestampGreaterThanEquals = "TimestampGreaterThanEquals"
    case isNull = "IsNull"
    case isPresent = "IsPresent"
    case isNumeric = "IsNumeric"
    case isString = "IsString"
    case isBoolean = "IsBoolean"
    case isTimestamp = "IsTimestamp"

    /// What an operator compares.
    public enum Family: Sendable, Hashable {
        /// `String…` operators, and `StringMatches`.
        case string
        /// `Numeric…` operators.
        case numeric
        /// `BooleanEquals`.
        case boolean
        /// `Timestamp…` operators.
        case timestamp
        /// `Is…` operators: a type or presence test whose operand is `true` or `false`.
        case typeTest
    }

    /// How the operator relates the variable to the operand.
    public enum Relation: Sendable, Hashable {
        case equals, lessThan, greaterThan, lessThanEquals, greaterThanEquals
    }

    /// The family of this operator.
    public var family: Family {
        switch self {
        case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals, .stringGreaterThanEquals,
            .stringMatches:
            .string
        case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals, .numericGreaterThanEquals:
            .numeric
        case .booleanEquals:
            .boolean
        case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals,
            .timestampGreaterThanEquals:
            .timestamp
        case .isNull, .isPresent, .isNumeric, .isString, .isBoolean, .isTimestamp:
            .typeTest
        }
    }

    /// The ordering relation of a String, Numeric, Boolean or Timestamp comparison; `nil` for
    /// `StringMatches` and the `Is…` tests.
    public var relation: Relation? {
        switch self {
        case .stringEquals, .numericEquals, .booleanEquals, .timestampEquals: .equals
        case .stringLessThan, .numericLessThan, .timestampLessThan: .lessThan
        case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: .greaterThan
        case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: .lessThanEquals
        case .stringGreaterThanEquals, .numericGreaterThanEquals, .timestampGreaterThanEquals: .greaterThanEquals
        case .stringMatches, .isNull, .isPresent, .isNumeric, .isString, .isBoolean, .isTimestamp: nil
        }
    }

    /// Whether ASL defines a `…Path` form of this operator (every comparison except `StringMatches` and the
    /// `Is…` tests).
    public var hasPathForm: Bool { relation != nil }

    /// The field name of the operator as written in a rule, with or without the `Path` suffix.
    public func fieldName(path: Bool) -> String { path ? rawValue + "Path" : rawValue }

    /// Every field name that introduces a comparison (`StringEquals`, `StringEqualsPath`, …), with the
    /// operator and whether it is the path form.
    public static let fieldNames: [String: (ChoiceOperator, path: Bool)] = {
        var names: [String: (ChoiceOperator, path: Bool)] = [:]
        for op in allCases {
            names[op.rawValue] = (op, false)
            if op.hasPathForm { names[op.rawValue + "Path"] = (op, true) }
        }
        return names
    }()
}
