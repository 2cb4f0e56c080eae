import BatonJSON

/// A `Pass` state: passes its input to its output, optionally injecting `Result` or reshaping with `Parameters`.
public final class PassState: Sendable {
    /// `InputPath`, `Parameters`, `ResultPath`, `OutputPath`.
    public let io: StateIO
    /// `Result`, when present.
    public let result: JSON?
    /// `Next` or `End`.
    public let transition: Transition

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: true, resultSelector: false, resultPath: true)
        result = reader.object["Result"]
        transition = reader.transition()
    }
}
