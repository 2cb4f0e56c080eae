/// A `Parallel` state: runs each branch on the same (filtered) input; its result is the array of the
/// branches' outputs, in branch order.
public struct ParallelState: Sendable {
    /// `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`.
    public var io: StateIO
    /// `Branches`.
    public var branches: [StatesBlock]
    /// `Retry`.
    public var retriers: [Retrier]
    /// `Catch`.
    public var catchers: [Catcher]
    /// `Next` or `End`.
    public var transition: Transition

    init(reading reader: inout DefinitionReader, name: String, parent: BlockReference) {
        io = StateIO(reading: &reader, parameters: true, resultSelector: true, resultPath: true)
        var blocks: [StatesBlock] = []
        for (index, json) in (reader.object["Branches"]?.arrayValue ?? []).enumerated() {
            let reference = parent.appending(.branch(state: name, index: index))
            blocks.append(StatesBlock(reading: json, location: reader.at("Branches") + "/\(index)",
                                      reference: reference, problems: &reader.problems))
        }
        branches = blocks
        retriers = reader.retriers()
        catchers = reader.catchers()
        transition = reader.transition()
    }
}
