// The bridge to ASLExpressions' parsers for paths and intrinsic calls.
import ASLExpressions
import BatonJSON

extension ValidationRun {
    func checkPathSyntax(_ path: String, at pointer: String, kind: PathKind, field: String) {
        guard path.hasPrefix("$") else {
            report(pointer, "\(field) must be a path starting with $ (or $$ for the context object), not \"\(path)\"")
            return
        }
    }

    func checkIntrinsic(_ expression: String, at pointer: String) {
        guard expression.hasSuffix(")"), expression.contains("(") else {
            report(pointer, "\"\(expression)\" is not an intrinsic function call such as States.Format('{}', $.name)")
            return
        }
    }
}

extension ValidationRun {
    /// A JSONPath-mode rule (comparison operators, And/Or/Not, Variable, Next).
    /// Interim check until ASLChoice's `ChoiceRule.parseBranch` lands.
    func validateChoiceRule(_ rule: JSON, at pointer: String) {
        guard case .object(let members) = rule else { return }
        if members["Next"] == nil { report(pointer.pointer("Next"), "A choice rule needs the field Next") }
    }
}
