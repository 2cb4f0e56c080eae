import Foundation

/// A `Wait` state: delays for `Seconds`/`SecondsPath` or until `Timestamp`/`TimestampPath`.
public final class WaitState: Sendable {
    /// How long to wait.
    public enum Duration: Sendable {
        case seconds(Int)
        case timestamp(String)
        case secondsPath(ASLPath)
        case timestampPath(ASLPath)
    }

    /// `InputPath`, `OutputPath`.
    public let io: StateIO
    /// The wait field.
    public let duration: Duration
    /// `Next` or `End`.
    public let transition: Transition

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: false, resultSelector: false, resultPath: false)
        if let s = reader.int("Seconds") {
            duration = .seconds(s)
        } else if let t = reader.string("Timestamp") {
            duration = .timestamp(t)
        } else if let p = reader.path("SecondsPath") {
            duration = .secondsPath(p)
        } else if let p = reader.path("TimestampPath") {
            duration = .timestampPath(p)
        } else {
            reader.problems.append(.init(location: reader.location, message: "a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath"))
            duration = .seconds(0)
        }
        transition = reader.transition()
    }
}
