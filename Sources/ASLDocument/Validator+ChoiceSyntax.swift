// The bridge to ASLChoice's rule parser. Interim: until ASLChoice lands on main, only Next is checked here.
import BatonJSON

extension ValidationRun {
    /// A JSONPath-mode Choice rule (comparison operators, And/Or/Not, Variable, Next).
    func validateChoiceRule(_ rule: JSON, at pointer: String) {
        guard case .object(let members) = rule else { return }
        if members["Next"] == nil { report(pointer, "missing Next: a top-level Choice rule names the state to go to when it matches") }
    }
}
