/// A `Succeed` state: ends its block successfully with its (filtered) input as output.
public final class SucceedState: Sendable {
    /// `InputPath`, `OutputPath`.
    public let io: StateIO

    init(reading reader: inout DefinitionReader) {
        io = StateIO(reading: &reader, parameters: false, resultSelector: false, resultPath: false)
    }
}
