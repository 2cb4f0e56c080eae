/// One problem found while parsing a Choice rule: where it is and what is wrong.
public struct ChoiceRuleProblem: Sendable, Hashable, CustomStringConvertible {
    /// A JSON pointer into the definition, e.g. `/States/Check/Choices/0/And/1/NumericEquals`.
    public var location: String
    /// What is wrong, in words a person can act on.
    public var message: String

    /// Creates a problem at `location`.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// `location: message`.
    public var description: String { "\(location.isEmpty ? "/" : location): \(message)" }
}

/// Every problem found in a Choice rule (never empty when thrown).
public struct ChoiceRuleErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they appear in the rule.
    public var problems: [ChoiceRuleProblem]

    /// Wraps `problems`.
    public init(problems: [ChoiceRuleProblem]) { self.problems = problems }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
