import BatonJSON
import ASLExpressions

/// A `Map` state: runs its item processor once per item of an array in its input, at most
/// `MaxConcurrency` at a time; its result is the array of the iterations' outputs, in item order.
public final class MapState: Sendable {
    /// `ProcessorConfig.Mode`.
    public enum Mode: String, Sendable, Hashable, Codable {
        case inline = "INLINE"
        case distributed = "DISTRIBUTED"
    }

    /// A number given literally or through a path (`MaxConcurrency`/`MaxConcurrencyPath`, …).
    public enum Number: Sendable {
        case literal(Double)
        case path(ASLPath)
    }

    /// `ItemBatcher`.
    public struct ItemBatcher: Sendable {
        /// `MaxItemsPerBatch` / `MaxItemsPerBatchPath`.
        public var maxItemsPerBatch: Number?
        /// `MaxInputBytesPerBatch` / `…Path` (accepted; batches are not split by size).
        public var maxInputBytesPerBatch: Number?
        /// `BatchInput`, a payload template merged into each batch object.
        public var batchInput: PayloadTemplate?
    }

    /// `InputPath`, `ItemSelector` (in `parameters`, also the legacy `Parameters`), `ResultSelector`,
    /// `ResultPath`, `OutputPath`.
    public let io: StateIO
    /// `ItemsPath` (default `$`).
    public let itemsPath: ASLPath?
    /// `ItemSelector` or legacy `Parameters`, evaluated per item with `$$.Map.Item`.
    public let itemSelector: PayloadTemplate?
    /// `MaxConcurrency`/`MaxConcurrencyPath` (absent = 0 = no limit).
    public let maxConcurrency: Number?
    /// `ToleratedFailureCount`/`…Path`.
    public let toleratedFailureCount: Number?
    /// `ToleratedFailurePercentage`/`…Path`.
    public let toleratedFailurePercentage: Number?
    /// `ItemBatcher`.
    public let itemBatcher: ItemBatcher?
    /// `ProcessorConfig.Mode`.
    public let mode: Mode
    /// `Label` (distributed maps).
    public let label: String?
    /// `ItemProcessor` or `Iterator`.
    public let processor: StatesBlock
    /// `Retry`.
    public let retriers: [Retrier]
    /// `Catch`.
    public let catchers: [Catcher]
    /// `Next` or `End`.
    public let transition: Transition

    init(reading reader: inout DefinitionReader, name: String, parent: BlockReference) {
        var io = StateIO(reading: &reader, parameters: false, resultSelector: true, resultPath: true)
        itemsPath = reader.path("ItemsPath")
        itemSelector = reader.template("ItemSelector") ?? reader.template("Parameters")
        maxConcurrency = Self.number(&reader, "MaxConcurrency")
        toleratedFailureCount = Self.number(&reader, "ToleratedFailureCount")
        toleratedFailurePercentage = Self.number(&reader, "ToleratedFailurePercentage")
        label = reader.string("Label")
        if let batcherJSON = reader.object["ItemBatcher"] {
            var batchReader = DefinitionReader(batcherJSON, location: reader.at("ItemBatcher"), problems: &reader.problems)
            itemBatcher = ItemBatcher(
                maxItemsPerBatch: Self.number(&batchReader, "MaxItemsPerBatch"),
                maxInputBytesPerBatch: Self.number(&batchReader, "MaxInputBytesPerBatch"),
                batchInput: batchReader.template("BatchInput"))
            reader.problems += batchReader.problems
        } else {
            itemBatcher = nil
        }
        let processorKey = reader.has("ItemProcessor") ? "ItemProcessor" : "Iterator"
        let processorJSON = reader.object[processorKey] ?? [:]
        mode = Mode(rawValue: processorJSON["ProcessorConfig"]?["Mode"]?.stringValue ?? "INLINE") ?? .inline
        processor = StatesBlock(reading: processorJSON, location: reader.at(processorKey),
                                reference: parent.appending(.itemProcessor(state: name)), language: reader.topLanguage,
                                problems: &reader.problems)
        retriers = reader.retriers()
        catchers = reader.catchers()
        transition = reader.transition()
        if (reader.object["ItemSelector"] ?? reader.object["Parameters"])?.mentionsContextObject == true {
            io.readsContext = true
        }
        self.io = io
    }

    private static func number(_ reader: inout DefinitionReader, _ key: String) -> Number? {
        if let value = reader.double(key) { return .literal(value) }
        if let path = reader.path(key + "Path") { return .path(path) }
        return nil
    }
}
