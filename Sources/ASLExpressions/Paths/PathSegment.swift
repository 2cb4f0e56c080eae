// The pieces a JSONPath is made of, after parsing. Each segment selects from every value the
// previous segment produced. Rendering follows Jayway JSONPath (which AWS runs), because AWS quotes
// the rendered form in its error causes, e.g. `No results for path: $['a'][0]`.

import BatonJSON

/// Where a path starts.
enum PathRoot: Sendable, Hashable {
    /// `$`: the state input.
    case input
    /// `$$`: the context object.
    case context
    /// `$name`: a workflow variable.
    case variable(String)
    /// `@`: the current value inside a filter expression.
    case current
}

/// One step of a path.
indirect enum PathSegment: Sendable, Hashable {
    /// `.name` or `['name']`.
    case member(String)
    /// `['a','b']`: several members; Jayway returns them as one object.
    case members([String])
    /// `[n]`; negative counts from the end.
    case index(Int)
    /// `[n,m,…]`.
    case indices([Int])
    /// `[start:end]` (either side optional, negative counts from the end).
    case slice(start: Int?, end: Int?)
    /// `[(@.length-n)]`: the n-th element from the end.
    case fromEnd(Int)
    /// `.*` or `[*]`.
    case wildcard
    /// `[?(…)]`.
    case filter(FilterExpression)
    /// `..` followed by a selector: that selector applied at every depth.
    case descendant(PathSegment)
    /// `.length()`, `.sum()`, …: a function of everything selected so far (always last).
    case function(PathFunction)

    /// Whether this segment selects at most one value.
    var isDefinite: Bool {
        switch self {
        case .member, .index, .fromEnd, .function: true
        case .members(let names): names.count == 1
        case .indices, .slice, .wildcard, .filter, .descendant: false
        }
    }

    /// The segment as Jayway prints it.
    var rendered: String {
        switch self {
        case .member(let name): "['\(name)']"
        case .members(let names): "[" + names.map { "'\($0)'" }.joined(separator: ",") + "]"
        case .index(let i): "[\(i)]"
        case .indices(let list): "[" + list.map(String.init).joined(separator: ",") + "]"
        case .slice(let start, let end):
            "[" + (start.map(String.init) ?? "") + ":" + (end.map(String.init) ?? "") + "]"
        case .fromEnd(let n): "[(@.length-\(n))]"
        case .wildcard: "[*]"
        case .filter: "[?]"
        case .descendant(let inner): ".." + inner.rendered
        case .function(let f): "." + f.rawValue + "()"
        }
    }
}

/// The functions Jayway allows at the end of a path.
enum PathFunction: String, Sendable, Hashable, CaseIterable {
    case length, size, min, max, avg, stddev, sum, first, last, keys
}

/// Renders a root and segments the way Jayway does (`$['a'][0]`).
func renderPath(root: PathRoot, segments: some Sequence<PathSegment>) -> String {
    var text: String
    switch root {
    case .input: text = "$"
    case .context: text = "$$"
    case .variable(let name): text = "$" + name
    case .current: text = "@"
    }
    for segment in segments { text += segment.rendered }
    return text
}
