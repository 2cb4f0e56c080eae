// The bridge to ASLChoice's rule parser: the validator parses Choice rules with the same code the
// interpreter compiles them with, and reports every problem it finds where it is.
import ASLChoice
import BatonJSON

extension ValidationRun {
    /// A JSONPath-mode Choice rule (comparison operators, And/Or/Not, Variable, Next).
    func validateChoiceRule(_ rule: JSON, at pointer: String) {
        do {
            _ = try ChoiceRule.parseBranch(rule, location: pointer)
        } catch {
            for problem in error.problems {
                report(problem.location, problem.message)
            }
        }
    }

    /// Whether `text` is a timestamp Step Functions accepts (Wait `Timestamp`, Timestamp comparisons).
    func isTimestamp(_ text: String) -> Bool { ASLTimestamp.isValid(text) }
}
