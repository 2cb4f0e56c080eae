/// A `Fail` state: ends the execution (or the Map iteration / Parallel branch) with an error and a cause.
public final class FailState: Sendable {
    /// `Error`.
    public let error: String?
    /// `Cause`.
    public let cause: String?
    /// `ErrorPath` (a reference path or an intrinsic function call).
    public let errorPath: ValueExpression?
    /// `CausePath`.
    public let causePath: ValueExpression?
    /// Whether the paths read the context object.
    public let readsContext: Bool

    init(reading reader: inout DefinitionReader) {
        error = reader.string("Error")
        cause = reader.string("Cause")
        errorPath = reader.valueExpression("ErrorPath")
        causePath = reader.valueExpression("CausePath")
        readsContext = (reader.object["ErrorPath"]?.mentionsContextObject ?? false)
            || (reader.object["CausePath"]?.mentionsContextObject ?? false)
    }
}
