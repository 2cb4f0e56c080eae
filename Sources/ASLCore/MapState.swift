import BatonJSON
import ASLExpressions

/// A `Map` state: runs its item processor once per item of an array in its input, at most
/// `MaxConcurrency` at a time; its result is the array of the iterations' outputs, in item order.
public struct MapState: Sendable {
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
    public var io: StateIO
    /// `ItemsPath` (default `$`).
    public var itemsPath: ASLPath?
    /// `ItemSelector` or legacy `Parameters`, evaluated per item with `$$.Map.Item`.
    public var itemSelector: PayloadTemplate?
    /// `MaxConcurrency`/`MaxConcurrencyPath` (absent = 0 = no limit).
    public var maxConcurrency: Number?
    /// `ToleratedFailureCount`/`…Path`.
    public var toleratedFailureCount: Number?
    /// `ToleratedFailurePercentage`/`…Path`.
    public var toleratedFailurePercentage: Number?
    /// `ItemBatcher`.
    public var itemBatcher: ItemBatcher?
    /// `ProcessorConfig.Mode`.
    public var mode: Mode
    /// `Label` (distributed maps).
    public var label: String?
    /// `ItemProcessor` or `Iterator`.
    public var processor: StatesBlock
    /// `Retry`.
    public var retriers: [Retrier]
    /// `Catch`.
    public var catchers: [Catcher]
    /// `Next` or `End`.
    public var transition: Transition

    init(reading reader: inout DefinitionReader, name: String, parent: BlockReference) {
        io = StateIO(reading: &reader, parameters: false, resultSelector: true, resultPath: true)
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
        }
        let processorKey = reader.has("ItemProcessor") ? "ItemProcessor" : "Iterator"
        let processorJSON = reader.object[processorKey] ?? [:]
        mode = Mode(rawValue: processorJSON["ProcessorConfig"]?["Mode"]?.stringValue ?? "INLINE") ?? .inline
        processor = StatesBlock(reading: processorJSON, location: reader.at(processorKey),
                                reference: parent.appending(.itemProcessor(state: name)), problems: &reader.problems)
        retriers = reader.retriers()
        catchers = reader.catchers()
        transition = reader.transition()
        if itemSelector.map({ _ in (reader.object["ItemSelector"] ?? reader.object["Parameters"])?.mentionsContextObject ?? false }) == true {
            io.readsContext = true
        }
    }

    private static func number(_ reader: inout DefinitionReader, _ key: String) -> Number? {
        if let value = reader.double(key) { return .literal(value) }
        if let path = reader.path(key + "Path") { return .path(path) }
        return nil
    }
}
