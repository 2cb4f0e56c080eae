import BatonJSON
import ASLDocument

/// A `Task` state: runs one function (see `TaskResource` for the `Resource` forms Baton maps).
public final class TaskState: Sendable {
    /// `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`.
    public let io: StateIO
    /// `Resource` as written.
    public let resource: String
    /// `Resource` parsed.
    public let resourceKind: TaskResource?
    /// `TimeoutSeconds`.
    public let timeoutSeconds: Int?
    /// `TimeoutSecondsPath`.
    public let timeoutSecondsPath: ASLPath?
    /// `HeartbeatSeconds`.
    public let heartbeatSeconds: Int?
    /// `HeartbeatSecondsPath`.
    public let heartbeatSecondsPath: ASLPath?
    /// `Retry`.
    public let retriers: [Retrier]
    /// `Catch`.
    public let catchers: [Catcher]
    /// `Next` or `End`.
    public let transition: Transition

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: true, resultSelector: true, resultPath: true)
        resource = reader.string("Resource") ?? ""
        resourceKind = TaskResource(parsing: resource)
        if resourceKind == nil {
            reader.fail("Resource", "Baton cannot map the resource \(resource) to a function")
        }
        timeoutSeconds = reader.int("TimeoutSeconds")
        timeoutSecondsPath = reader.path("TimeoutSecondsPath")
        heartbeatSeconds = reader.int("HeartbeatSeconds")
        heartbeatSecondsPath = reader.path("HeartbeatSecondsPath")
        retriers = reader.retriers()
        catchers = reader.catchers()
        transition = reader.transition()
    }
}
