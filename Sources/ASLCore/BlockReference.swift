import BatonJSON

/// Names one block of states in a state machine — the top level, one Parallel branch, or a Map's
/// `ItemProcessor`/`Iterator` — by the path that leads to it, so that a child run can be created from
/// the reference alone (the distributed coordinator stores it in a column).
///
/// Its text form is a JSON pointer into the definition: `""` for the top level,
/// `/States/Fan out/Branches/1`, `/States/Each/ItemProcessor`, and nested combinations.
public struct BlockReference: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One step from a block to a block nested in one of its states.
    public enum Step: Hashable, Sendable {
        /// Branch `index` of the Parallel state `state`.
        case branch(state: String, index: Int)
        /// The item processor (or legacy iterator) of the Map state `state`.
        case itemProcessor(state: String)
    }

    /// The steps from the top level down to the block.
    public var steps: [Step]

    /// The top-level block.
    public static let root = BlockReference(steps: [])

    /// A reference from its steps.
    public init(steps: [Step]) { self.steps = steps }

    /// The reference to a block nested in this one.
    public func appending(_ step: Step) -> BlockReference { BlockReference(steps: steps + [step]) }

    /// The JSON pointer of the block inside the definition.
    public var pointer: String {
        var text = ""
        for step in steps {
            switch step {
            case .branch(let state, let index): text += "/States/\(escape(state))/Branches/\(index)"
            case .itemProcessor(let state): text += "/States/\(escape(state))/ItemProcessor"
            }
        }
        return text
    }

    /// Parses the pointer form; `nil` when the text is not one `pointer` produces.
    public init?(pointer: String) {
        if pointer.isEmpty { self = .root; return }
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { unescape(String($0)) }
        var steps: [Step] = []
        var i = 0
        while i < parts.count {
            guard parts[i] == "States", i + 2 < parts.count else { return nil }
            let state = parts[i + 1]
            if parts[i + 2] == "ItemProcessor" {
                steps.append(.itemProcessor(state: state))
                i += 3
            } else if parts[i + 2] == "Branches", i + 3 < parts.count, let index = Int(parts[i + 3]) {
                steps.append(.branch(state: state, index: index))
                i += 4
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    public var description: String { pointer.isEmpty ? "(top level)" : pointer }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pointer)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let reference = BlockReference(pointer: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a block reference: \(text)")
        }
        self = reference
    }
}

private func escape(_ name: String) -> String {
    name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}

private func unescape(_ name: String) -> String {
    name.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
}
