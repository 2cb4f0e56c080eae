/// A `Fail` state: ends the execution (or the Map iteration / Parallel branch) with an error and a cause.
public struct FailState: Sendable {
    /// `Error`.
    public var error: String?
    /// `Cause`.
    public var cause: String?
    /// `ErrorPath` (a reference path or an intrinsic function call).
    public var errorPath: ValueExpression?
    /// `CausePath`.
    public var causePath: ValueExpression?
    /// Whether the paths read the context object.
    public var readsContext: Bool

    init(reading reader: inout DefinitionReader) {
        error = reader.string("Error")
        cause = reader.string("Cause")
        errorPath = reader.valueExpression("ErrorPath")
        causePath = reader.valueExpression("CausePath")
        readsContext = (reader.object["ErrorPath"]?.mentionsContextObject ?? false)
            || (reader.object["CausePath"]?.mentionsContextObject ?? false)
    }
}
