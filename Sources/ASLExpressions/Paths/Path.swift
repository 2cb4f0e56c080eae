import BatonJSON

/// A path as written in a definition: `$…` (the input), `$$…` (the context object) or `$name…`
/// (a workflow variable), in Jayway JSONPath syntax (what AWS Step Functions runs).
///
/// Parse once when the definition loads; evaluate many times. A definite path (members and single
/// indices) selects one value; an indefinite one (wildcards, filters, slices, unions, `..`) selects
/// an array of every match, possibly empty.
public struct Path: Sendable, Hashable, CustomStringConvertible {
    /// The path exactly as written.
    public let text: String
    let root: PathRoot
    let segments: [PathSegment]
    /// Whether the path selects at most one value (no wildcard, filter, slice, union or `..`).
    public let isDefinite: Bool
    /// Whether this is a reference path: `$`, `$$` or a variable followed only by member names and
    /// array indices (what `ResultPath`, `ItemsPath`, `OutputPath`… require where AWS requires it).
    public let isReferencePath: Bool
    /// Whether every segment is definite, so the path can be walked without collecting matches.
    let walksDefinitely: Bool

    /// Parses `text`; throws what is wrong with it, and where.
    public init(_ text: String) throws(PathSyntaxError) {
        // Jayway ignores blanks around the whole path.
        var parser = PathParser(trimmingBlanks(text))
        let (root, segments) = try parser.parsePath()
        if root == .current { throw PathSyntaxError("a path must start with '$', not '@'") }
        self.text = text
        self.root = root
        self.segments = segments
        walksDefinitely = segments.allSatisfy(\.isDefinite)
        if case .function = segments.last {
            isDefinite = true
        } else {
            isDefinite = walksDefinitely
        }
        isReferencePath = segments.allSatisfy { segment in
            switch segment {
            case .member: true
            case .members(let names): names.count == 1
            case .index(let i): i >= 0
            default: false
            }
        }
    }

    /// The path as written.
    public var description: String { text }

    /// Whether the path reads the context object (`$$…`).
    public var isContextPath: Bool { root == .context }

    /// The workflow variable the path reads (`$name…`), if it reads one.
    public var variableName: String? {
        if case .variable(let name) = root { return name }
        return nil
    }

    /// Whether the path is the root itself (`$`, `$$` or `$name`), selecting the whole value.
    public var isRoot: Bool { segments.isEmpty }

    func rootValue(in scope: ExpressionScope) -> JSON? {
        switch root {
        case .input: scope.input
        case .context: scope.context
        case .variable(let name): scope.variables[name]
        case .current: nil
        }
    }

    /// The selected value: for a definite path the value, for an indefinite one an array of every
    /// match. `nil` when a definite path selects nothing.
    public func select(in scope: ExpressionScope) -> JSON? {
        guard let start = rootValue(in: scope) else { return nil }
        if segments.isEmpty { return start }
        if walksDefinitely {
            if case .found(let value) = selectDefinite(segments, from: start, root: start, scope: scope) { return value }
            return nil
        }
        let matches = selectIndefinite(segments, from: start, root: start, scope: scope)
        return isDefinite ? matches.first : .array(matches)
    }

    /// The selected value, or `States.Runtime` with AWS's cause for `InputPath`, `OutputPath` and
    /// similar fields: `Invalid path '$.x' : No results for path: $['x']` (the state prefix
    /// "An error occurred while executing the state …" is the interpreter's to add).
    public func value(in scope: ExpressionScope) throws(ASLError) -> JSON {
        guard let start = rootValue(in: scope) else {
            throw ASLError(.runtime, "Invalid path '\(text)' : The variable '\(variableName ?? "")' is not defined")
        }
        if segments.isEmpty { return start }
        if !walksDefinitely {
            let matches = selectIndefinite(segments, from: start, root: start, scope: scope)
            if !isDefinite { return .array(matches) }
            if let value = matches.first { return value }
            throw ASLError(.runtime, "Invalid path '\(text)' : \(jaywayMessage(.missingLeaf))")
        }
        let outcome = selectDefinite(segments, from: start, root: start, scope: scope)
        if case .found(let value) = outcome { return value }
        throw ASLError(.runtime, "Invalid path '\(text)' : \(jaywayMessage(outcome))")
    }

    /// The selected value, or `States.Runtime` with AWS's cause for a path given in a named field
    /// (a payload template's `key.$`, `ErrorPath`, `CausePath`, …): `The JSONPath '$.x' specified
    /// for the field 'key.$' could not be found in the input '{"a":1}'`.
    public func value(in scope: ExpressionScope, field: String) throws(ASLError) -> JSON {
        if let value = select(in: scope) { return value }
        throw notFound(field: field, scope: scope)
    }

    func notFound(field: String, scope: ExpressionScope) -> ASLError {
        ASLError(.runtime, "The JSONPath '\(text)' specified for the field '\(field)' could not be found in the input '\(scope.input.serialized())'")
    }

    /// Jayway's words for a definite path that selected nothing.
    func jaywayMessage(_ outcome: DefiniteOutcome) -> String {
        switch outcome {
        case .found: return ""
        case .missingLeaf:
            return "No results for path: \(renderPath(root: .input, segments: segments))"
        case .missingProperty(let i):
            return "Missing property in path \(renderPath(root: .input, segments: segments[...i]))"
        case .notAnObject(let i, let found):
            return "Expected to find an object with property \(segments[i].rendered) in path \(renderPath(root: .input, segments: segments[..<i])) but found '\(javaClassName(found))'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'."
        case .notAnArray(let i, let found):
            return "Filter: \(segments[i].rendered) can only be applied to arrays. Current context is: \(found.serialized())"
        }
    }

    /// Paths are equal when written alike.
    public static func == (lhs: Path, rhs: Path) -> Bool { lhs.text == rhs.text }
    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// `text` without blanks at either end.
func trimmingBlanks(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else {
        return ""
    }
    return String(text[first...last])
}

/// The Java class Jayway (over Jackson) reports for a value in its messages.
func javaClassName(_ value: JSON) -> String {
    switch value {
    case .null: "null"
    case .bool: "java.lang.Boolean"
    case .number(.int(let i)): Int32(exactly: i) != nil ? "java.lang.Integer" : "java.lang.Long"
    case .number(.double): "java.lang.Double"
    case .string: "java.lang.String"
    case .array: "java.util.ArrayList"
    case .object: "java.util.LinkedHashMap"
    }
}
