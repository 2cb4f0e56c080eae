import ASLChoice
import ASLExpressions

/// A `Choice` state: picks the `Next` of the first rule that matches its input, else `Default`, else fails
/// with `States.NoChoiceMatched`.
public final class ChoiceState: Sendable {
    /// `InputPath`, `OutputPath`.
    public let io: StateIO
    /// `Choices`, in order.
    public let choices: [ChoiceBranch]
    /// `Default`.
    public let defaultNext: String?
    /// Each rule's `Assign` (JSONPath mode), by the index of the rule in `choices`.
    public let ruleAssigns: [PayloadTemplate?]

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: false, resultSelector: false, resultPath: false)
        defaultNext = reader.string("Default")
        var branches: [ChoiceBranch] = []
        var assigns: [PayloadTemplate?] = []
        for (index, json) in (reader.object["Choices"]?.arrayValue ?? []).enumerated() {
            let location = reader.at("Choices") + "/\(index)"
            do {
                branches.append(try ChoiceRule.parseBranch(json, location: location))
                var ruleReader = DefinitionReader(json, location: location, problems: &reader.problems)
                assigns.append(ruleReader.template("Assign"))
                reader.problems += ruleReader.problems
            } catch {
                reader.problems.append(.init(location: location, message: "invalid choice rule: \(error)"))
            }
        }
        choices = branches
        ruleAssigns = assigns
    }
}
