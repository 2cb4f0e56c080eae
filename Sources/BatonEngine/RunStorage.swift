// How the coordinator stores interpreter state in text columns: a `Run` (executions.state,
// fan_out_items.state) and what a Map/Parallel entry needs to create and resume its children
// (fan_outs.state). Both are JSON text written with Codable; the format belongs to the engine. They are
// written with BatonJSON's streaming JSONTextEncoder (Foundation's JSONEncoder cost more than the interpreter
// step on every visit) — a `Run`, the one written on every visit, by hand in the same format (RunText.swift) —
// and read with JSONDecoder.
import ASLCore
import BatonJSON
import Foundation

/// Identifies a run inside one execution: the top-level run, or the run of one Map item / Parallel branch.
enum RunKey: Hashable, Sendable {
    case root
    case item(Int64)

    /// The `fan_out_item_id` column value.
    var itemId: Int64? {
        if case .item(let id) = self { return id }
        return nil
    }

    init(itemId: Int64?) { self = itemId.map(RunKey.item) ?? .root }
}

/// What a fan-out row keeps to create its children on demand (MaxConcurrency refills).
struct FanOutState: Codable, Sendable {
    var kind: ChildRunsRequest.Kind
    var stateName: String
    var blocks: [BlockReference]
    var startedEventId: Int
    /// The workflow variables every child starts with (absent in rows written before variables existed).
    @OptionalJSONCoded var variables: JSON? = nil
    /// For a DISTRIBUTED Map: its map run (absent in rows written before map runs had names).
    var mapRun: MapRunIdentity? = nil

    init(_ request: ChildRunsRequest) {
        kind = request.kind
        stateName = request.stateName
        blocks = request.blocks
        startedEventId = request.startedEventId
        variables = request.variables.isEmpty ? nil : .object(request.variables)
        mapRun = request.mapRun
    }

    /// The run of child `index` with `input` (as `Run(child:of:)` builds it).
    func childRun(index: Int, input: JSON) -> Run {
        let kind: RunKind = switch self.kind {
        case .parallelBranch: .parallelBranch(index: index)
        case .mapIteration: .mapIteration(index: index, mapState: stateName)
        case .distributedItem: .distributedItem(index: index, mapState: stateName)
        }
        let block = blocks.count == 1 ? blocks[0] : blocks[index]
        return Run(block: block, kind: kind, input: input, previousEventId: startedEventId,
                   variables: variables?.objectValue ?? [:])
    }
}

enum RunCoding {
    /// A run's text, written by hand (RunText.swift): the same bytes as the generic path, several times faster.
    static func encode(_ run: Run) throws -> String {
        RunText.encode(run)
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        try JSONTextEncoder().encodeToString(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
