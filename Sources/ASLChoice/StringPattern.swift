// The pattern of a `StringMatches` rule: `*` matches any run of characters (none included); `\*` is a
// literal asterisk and `\\` a literal backslash. A backslash before any other character stands for itself.
//
// Matching compares Unicode scalars (as AWS compares code points, with no normalisation) and runs in
// O(pattern × text) at worst: the classic greedy wildcard match that remembers the last `*` and backtracks
// only to it, so hostile patterns such as `*a*a*a*…b` cannot blow up.

/// A compiled `StringMatches` pattern.
public struct StringPattern: Sendable, Hashable, CustomStringConvertible {
    /// One element of a pattern: a literal scalar or the `*` wildcard.
    enum Element: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case wildcard
    }

    /// The pattern as written in the definition.
    public let text: String
    let elements: [Element]

    /// Compiles `text`, interpreting `*`, `\*` and `\\`.
    public init(_ text: String) {
        self.text = text
        var elements: [Element] = []
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "*":
                // Consecutive wildcards match exactly what one does.
                if elements.last != .wildcard { elements.append(.wildcard) }
            case "\\":
                if let escaped = pending, escaped == "*" || escaped == "\\" {
                    elements.append(.literal(escaped))
                    pending = scalars.next()
                } else {
                    elements.append(.literal(scalar))
                }
            default:
                elements.append(.literal(scalar))
            }
        }
        self.elements = elements
    }

    /// The pattern as written.
    public var description: String { text }

    /// Whether `string` matches the whole pattern.
    public func matches(_ string: String) -> Bool {
        let text = Array(string.unicodeScalars)
        var t = 0
        var p = 0
        var starAt: Int? = nil  // index in `elements` just after the last `*` seen
        var starText = 0  // where in `text` that `*` currently stops
        while t < text.count {
            if p < elements.count, case .literal(let scalar) = elements[p], scalar == text[t] {
                p += 1
                t += 1
            } else if p < elements.count, elements[p] == .wildcard {
                p += 1
                starAt = p
                starText = t
            } else if let resume = starAt {
                starText += 1
                t = starText
                p = resume
            } else {
                return false
            }
        }
        while p < elements.count, elements[p] == .wildcard { p += 1 }
        return p == elements.count
    }
}
