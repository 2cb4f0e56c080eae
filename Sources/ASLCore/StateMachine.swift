import BatonJSON

/// A state machine ready to run: the typed tree built from a definition (which should have passed
/// `DefinitionValidator` first). Immutable and shareable between runs and threads.
public final class StateMachine: Sendable {
    /// The definition it was built from.
    public let definition: JSON
    /// The top-level block.
    public let root: StatesBlock
    /// The execution-level `TimeoutSeconds`.
    public let timeoutSeconds: Int?
    /// Every block by reference, for `block(_:)`.
    private let blocks: [BlockReference: StatesBlock]

    /// Builds the tree; throws every problem found when the definition does not have the expected shape.
    public init(definition: JSON) throws(StateMachineError) {
        var problems: [StateMachineError.Problem] = []
        self.definition = definition
        let language = definition["QueryLanguage"]?.stringValue.flatMap(QueryLanguageMode.init(rawValue:)) ?? .jsonPath
        root = StatesBlock(reading: definition, location: "", reference: .root, language: language, problems: &problems)
        timeoutSeconds = definition["TimeoutSeconds"]?.intValue
        if !problems.isEmpty { throw StateMachineError(problems: problems) }
        var blocks: [BlockReference: StatesBlock] = [:]
        func collect(_ block: StatesBlock) {
            blocks[block.reference] = block
            for state in block.states.values {
                switch state {
                case .parallel(let p): p.branches.forEach(collect)
                case .map(let m): collect(m.processor)
                default: break
                }
            }
        }
        collect(root)
        self.blocks = blocks
    }

    /// The block a reference names.
    public func block(_ reference: BlockReference) -> StatesBlock? { blocks[reference] }
}
