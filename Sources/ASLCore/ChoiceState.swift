import ASLChoice

/// A `Choice` state: picks the `Next` of the first rule that matches its input, else `Default`, else fails
/// with `States.NoChoiceMatched`.
public final class ChoiceState: Sendable {
    /// `InputPath`, `OutputPath`.
    public let io: StateIO
    /// `Choices`, in order.
    public let choices: [ChoiceBranch]
    /// `Default`.
    public let defaultNext: String?

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: false, resultSelector: false, resultPath: false)
        defaultNext = reader.string("Default")
        var branches: [ChoiceBranch] = []
        for (index, json) in (reader.object["Choices"]?.arrayValue ?? []).enumerated() {
            let location = reader.at("Choices") + "/\(index)"
            do {
                branches.append(try ChoiceRule.parseBranch(json, location: location))
            } catch {
                reader.problems.append(.init(location: location, message: "invalid choice rule: \(error)"))
            }
        }
        choices = branches
    }
}
