/// Why a definition could not be loaded: the text is not JSON or YAML, a YAML value has no JSON equivalent,
/// or a `${Name}` placeholder has no substitution. Says what went wrong and where.
public struct DefinitionLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of load failure.
    public enum Kind: String, Sendable, Hashable {
        /// The text is not valid JSON.
        case invalidJSON
        /// The text is not valid YAML, or holds a YAML value JSON cannot represent.
        case invalidYAML
        /// A `${Name}` placeholder has no value in the substitutions.
        case unresolvedSubstitution
        /// The text holds no document, or the document is not a JSON object.
        case notADefinition
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// What is wrong, in words.
    public var message: String
    /// The file the text came from, when the caller named it.
    public var fileName: String?
    /// 1-based line of the problem in the text, when known.
    public var line: Int?
    /// 1-based column of the problem in the text, when known.
    public var column: Int?
    /// The JSON pointer of the value holding the problem (for substitutions), when known.
    public var location: String?
    /// The placeholder name, for an unresolved substitution.
    public var placeholder: String?

    /// Makes an error; see the properties for the meaning of each argument.
    public init(
        kind: Kind, message: String, fileName: String? = nil, line: Int? = nil, column: Int? = nil,
        location: String? = nil, placeholder: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.fileName = fileName
        self.line = line
        self.column = column
        self.location = location
        self.placeholder = placeholder
    }

    /// One line: `FILE:LINE:COLUMN: MESSAGE`, or `FILE: LOCATION: MESSAGE` for a substitution.
    public var description: String {
        var prefix = fileName ?? ""
        if let line {
            prefix += prefix.isEmpty ? "line \(line)" : ":\(line)"
            if let column { prefix += ":\(column)" }
        }
        if let location { prefix += prefix.isEmpty ? location : ": \(location)" }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}
