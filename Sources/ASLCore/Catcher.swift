import BatonJSON
import ASLExpressions

/// One element of a state's `Catch` list: the errors it catches, where the error output goes in the
/// state's input (`ResultPath`, default `$`), and the state to go to.
public struct Catcher: Sendable {
    /// `ErrorEquals`.
    public var errorEquals: ErrorMatcher
    /// `Next`.
    public var next: String
    /// `ResultPath`.
    public var resultPath: ResultPath
    /// `Assign` (JSONPath mode: evaluated against the error output `{"Error", "Cause"}`).
    public var assign: PayloadTemplate?

    init(reading reader: inout DefinitionReader) {
        let names = reader.object["ErrorEquals"]?.arrayValue?.compactMap(\.stringValue) ?? []
        errorEquals = ErrorMatcher(names: names)
        next = reader.string("Next") ?? ""
        resultPath = ResultPath(reading: &reader)
        assign = reader.template("Assign")
    }
}

extension Array where Element == Catcher {
    /// The first catcher that matches `error`.
    public func firstMatch(for error: String?) -> Catcher? {
        first { $0.errorEquals.matches(error ?? "") }
    }
}

/// Reads `Retry` and `Catch` lists.
extension DefinitionReader {
    mutating func retriers() -> [Retrier] {
        guard let list = object["Retry"]?.arrayValue else { return [] }
        return list.enumerated().map { index, json in
            var reader = DefinitionReader(json, location: at("Retry") + "/\(index)", problems: &problems)
            let retrier = Retrier(reading: &reader)
            problems += reader.problems
            return retrier
        }
    }

    mutating func catchers() -> [Catcher] {
        guard let list = object["Catch"]?.arrayValue else { return [] }
        return list.enumerated().map { index, json in
            var reader = DefinitionReader(json, location: at("Catch") + "/\(index)", problems: &problems)
            let catcher = Catcher(reading: &reader)
            problems += reader.problems
            return catcher
        }
    }
}
