import BatonJSON

/// One block of states (`StartAt` + `States`): the top level, a Parallel branch, or a Map's item processor.
public final class StatesBlock: Sendable {
    /// Where the block is in the state machine.
    public let reference: BlockReference
    /// `StartAt`.
    public let startAt: String
    /// `States` by name.
    public let states: [String: State]
    /// The JSONata-mode fields of the states that use JSONata, by name.
    public let jsonata: [String: JSONataState]

    /// `language` is the definition's top-level `QueryLanguage`, which each state may override.
    init(reading json: JSON, location: String, reference: BlockReference, language: QueryLanguageMode = .jsonPath,
         problems: inout [StateMachineError.Problem]) {
        self.reference = reference
        var reader = DefinitionReader(json, location: location, problems: &problems)
        startAt = reader.string("StartAt") ?? ""
        var states: [String: State] = [:]
        var jsonata: [String: JSONataState] = [:]
        if let object = reader.object["States"]?.objectValue {
            for (name, stateJSON) in object {
                let stateLocation = reader.at("States") + "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                var stateJSON = stateJSON
                if case .object(let fields) = stateJSON,
                   (fields["QueryLanguage"]?.stringValue).flatMap(QueryLanguageMode.init(rawValue:)) ?? language == .jsonata {
                    (jsonata[name], stateJSON) = JSONataState.split(fields, location: stateLocation, problems: &reader.problems)
                }
                var stateReader = DefinitionReader(stateJSON, location: stateLocation, problems: &reader.problems)
                stateReader.topLanguage = language
                if let state = State(reading: &stateReader, name: name, block: reference) {
                    states[name] = state
                }
                reader.problems += stateReader.problems
            }
        } else {
            reader.problems.append(.init(location: reader.at("States"), message: "a block needs a States object"))
        }
        if states[startAt] == nil {
            reader.problems.append(.init(location: reader.at("StartAt"), message: "StartAt names no state: \(startAt)"))
        }
        self.states = states
        self.jsonata = jsonata
        problems += reader.problems
    }
}
