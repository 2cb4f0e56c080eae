// The fields shared by states that process input and output, as typed values.

import BatonJSON
import ASLExpressions

/// A parsed path together with its text (error causes quote the text).
public struct ASLPath: Sendable {
    /// The path as written in the definition.
    public let text: String
    /// The parsed path.
    public let path: Path

    /// Whether the path is `$` itself, which selects the whole input.
    public var isIdentity: Bool { text == "$" }
}

/// `InputPath` or `OutputPath`: absent (the whole value), `null` (an empty object), or a path.
public enum PathField: Sendable {
    case identity
    case discard
    case path(ASLPath)
}

/// `ResultPath`: absent or `$` (the result replaces the input), `null` (the result is discarded and the
/// input passes through), or a reference path where the result is placed inside the input.
public enum ResultPath: Sendable {
    case replace
    case discard
    case path(ASLPath)

    init(reading reader: inout DefinitionReader, key: String = "ResultPath") {
        guard let value = reader.object[key] else { self = .replace; return }
        if value.isNull { self = .discard; return }
        guard let path = reader.path(key) else { self = .replace; return }
        self = path.isIdentity ? .replace : .path(path)
    }
}

/// A field holding a reference path or an intrinsic function call (`ErrorPath`, `CausePath`).
public enum ValueExpression: Sendable {
    case path(ASLPath)
    case intrinsic(IntrinsicCall)
}

/// Where a state goes when it is done.
public enum Transition: Sendable, Hashable {
    case next(String)
    case end
}

/// The input and output processing fields of a state. Fields a state type does not allow stay at their
/// defaults (validation rejects them before the tree is built).
public struct StateIO: Sendable {
    /// `InputPath`.
    public var inputPath: PathField = .identity
    /// `Parameters` (or `ItemSelector` for Map, applied per item).
    public var parameters: PayloadTemplate?
    /// `ResultSelector`.
    public var resultSelector: PayloadTemplate?
    /// `ResultPath`.
    public var resultPath: ResultPath = .replace
    /// `OutputPath`.
    public var outputPath: PathField = .identity
    /// Whether any field of the state reads the context object (`$$`), so that it is built only when needed.
    public var readsContext = false
    /// `Assign` as a JSONPath-mode template (keys ending in `.$` are evaluated; the `.$` is dropped from the
    /// variable name). Evaluated against the state's result; see Run+Assign.swift.
    public var assign: PayloadTemplate?

    init() {}

    init(reading reader: inout DefinitionReader, parameters: Bool, resultSelector: Bool, resultPath: Bool) {
        inputPath = reader.pathField("InputPath")
        outputPath = reader.pathField("OutputPath")
        if parameters { self.parameters = reader.template("Parameters") }
        if resultSelector { self.resultSelector = reader.template("ResultSelector") }
        if resultPath { self.resultPath = ResultPath(reading: &reader) }
        assign = reader.template("Assign")
        readsContext = JSON.object(reader.object).mentionsContextObject
    }
}

extension JSON {
    /// Whether any string in this value mentions `$$` (a cheap over-approximation of "reads the context object").
    var mentionsContextObject: Bool { containsString { $0.contains("$$") } }

    /// Whether any string in this value, outside nested blocks (ItemProcessor, Iterator, Branches), satisfies `test`.
    func containsString(_ test: (String) -> Bool) -> Bool {
        switch self {
        case .string(let s): return test(s)
        case .array(let a): return a.contains { $0.containsString(test) }
        case .object(let o):
            for (key, value) in o {
                if key == "ItemProcessor" || key == "Iterator" || key == "Branches" { continue }
                if value.containsString(test) { return true }
            }
            return false
        default: return false
        }
    }
}
