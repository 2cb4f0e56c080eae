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

    /// `…StateEntered` (a literal, so that emitting it allocates nothing).
    public var enteredEventType: String {
        switch self {
        case .pass: "PassStateEntered"
        case .task: "TaskStateEntered"
        case .choice: "ChoiceStateEntered"
        case .wait: "WaitStateEntered"
        case .succeed: "SucceedStateEntered"
        case .fail: "FailStateEntered"
        case .parallel: "ParallelStateEntered"
        case .map: "MapStateEntered"
        }
    }

    /// `…StateExited`.
    public var exitedEventType: String {
        switch self {
        case .pass: "PassStateExited"
        case .task: "TaskStateExited"
        case .choice: "ChoiceStateExited"
        case .wait: "WaitStateExited"
        case .succeed: "SucceedStateExited"
        case .fail: "FailStateExited"
        case .parallel: "ParallelStateExited"
        case .map: "MapStateExited"
        }
    }
}
