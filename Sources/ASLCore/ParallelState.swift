/// A `Parallel` state: runs each branch on the same (filtered) input; its result is the array of the
/// branches' outputs, in branch order.
public final class ParallelState: Sendable {
    /// `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`.
    public let io: StateIO
    /// `Branches`.
    public let branches: [StatesBlock]
    /// `Retry`.
    public let retriers: [Retrier]
    /// `Catch`.
    public let catchers: [Catcher]
    /// `Next` or `End`.
    public let transition: Transition

    init(reading reader: inout DefinitionReader, name: String, parent: BlockReference) {
        io = StateIO(reading: &reader, parameters: true, resultSelector: true, resultPath: true)
        var blocks: [StatesBlock] = []
        for (index, json) in (reader.object["Branches"]?.arrayValue ?? []).enumerated() {
            let reference = parent.appending(.branch(state: name, index: index))
            blocks.append(StatesBlock(reading: json, location: reader.at("Branches") + "/\(index)",
                                      reference: reference, language: reader.topLanguage, problems: &reader.problems))
        }
        branches = blocks
        retriers = reader.retriers()
        catchers = reader.catchers()
        transition = reader.transition()
    }
}
