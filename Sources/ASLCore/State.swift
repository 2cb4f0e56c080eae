/// One state of a definition, typed by its `Type`.
public enum State: Sendable {
    case pass(PassState)
    case task(TaskState)
    case choice(ChoiceState)
    case wait(WaitState)
    case succeed(SucceedState)
    case fail(FailState)
    case parallel(ParallelState)
    case map(MapState)

    init?(reading reader: inout DefinitionReader, name: String, block: BlockReference) {
        switch reader.string("Type") {
        case "Pass": self = .pass(PassState(reading: &reader))
        case "Task": self = .task(TaskState(reading: &reader))
        case "Choice": self = .choice(ChoiceState(reading: &reader))
        case "Wait": self = .wait(WaitState(reading: &reader))
        case "Succeed": self = .succeed(SucceedState(reading: &reader))
        case "Fail": self = .fail(FailState(reading: &reader))
        case "Parallel": self = .parallel(ParallelState(reading: &reader, name: name, parent: block))
        case "Map": self = .map(MapState(reading: &reader, name: name, parent: block))
        case let other:
            reader.problems.append(.init(location: reader.at("Type"), message: "unknown state type \(other ?? "(missing)")"))
            return nil
        }
    }

    /// The `Type` as written (`Pass`, `Task`, …), which also prefixes the state's history event types.
    public var typeName: String {
        switch self {
        case .pass: "Pass"
        case .task: "Task"
        case .choice: "Choice"
        case .wait: "Wait"
        case .succeed: "Succeed"
        case .fail: "Fail"
        case .parallel: "Parallel"
        case .map: "Map"
        }
    }
}
