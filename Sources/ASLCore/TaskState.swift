import BatonJSON
import ASLDocument

/// A `Task` state: runs one function (see `TaskResource` for the `Resource` forms Baton maps).
public struct TaskState: Sendable {
    /// `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`.
    public var io: StateIO
    /// `Resource` as written.
    public var resource: String
    /// `Resource` parsed.
    public var resourceKind: TaskResource?
    /// `TimeoutSeconds`.
    public var timeoutSeconds: Int?
    /// `TimeoutSecondsPath`.
    public var timeoutSecondsPath: ASLPath?
    /// `HeartbeatSeconds`.
    public var heartbeatSeconds: Int?
    /// `HeartbeatSecondsPath`.
    public var heartbeatSecondsPath: ASLPath?
    /// `Retry`.
    public var retriers: [Retrier]
    /// `Catch`.
    public var catchers: [Catcher]
    /// `Next` or `End`.
    public var transition: Transition

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
