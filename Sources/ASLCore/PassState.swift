import BatonJSON

/// A `Pass` state: passes its input to its output, optionally injecting `Result` or reshaping with `Parameters`.
public struct PassState: Sendable {
    /// `InputPath`, `Parameters`, `ResultPath`, `OutputPath`.
    public var io: StateIO
    /// `Result`, when present.
    public var result: JSON?
    /// `Next` or `End`.
    public var transition: Transition

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: true, resultSelector: false, resultPath: true)
        result = reader.object["Result"]
        transition = reader.transition()
    }
}
