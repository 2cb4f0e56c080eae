/// One problem in a definition: where it is, as a JSON pointer (`/States/Invoke Worker/Next`), and what is
/// wrong, in words a person can act on.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The JSON pointer of the offending value (or of where a missing field belongs); `/` is the whole definition.
    public var location: String
    /// What is wrong and, where it helps, what to do.
    public var message: String
    /// Whether the definition is invalid (`error`) or only looks mistaken (`warning`, never fatal).
    public var severity: Severity

    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The definition is invalid.
        case error = "ERROR"
        /// The definition is valid but probably not what was meant (AWS's NO_DOLLAR, PASS_RESULT_IS_STATIC).
        case warning = "WARNING"
    }

    /// Makes a diagnostic.
    public init(location: String, message: String, severity: Severity = .error) {
        self.location = location.isEmpty ? "/" : location
        self.message = message
        self.severity = severity
    }

    /// `LOCATION: MESSAGE` (`LOCATION: warning: MESSAGE` for a warning).
    public var description: String {
        severity == .warning ? "\(location): warning: \(message)" : "\(location): \(message)"
    }

    /// Whether this diagnostic only says that a feature (JSONata, variables) is not supported yet.
    public var isNotYetSupported: Bool { message.contains(Diagnostic.notYetSupportedPhrase) }

    /// The phrase every "not yet supported" diagnostic carries.
    public static let notYetSupportedPhrase = "not yet supported by this version of Baton"
}

/// What the validator accepts beyond plain JSONPath-mode ASL, and what it checks beyond the definition itself.
public struct ValidationOptions: Sendable {
    /// Accept `QueryLanguage: JSONata` and its fields (`Arguments`, `Output`, `{% %}` expressions, …); on by default.
    public var allowJSONata = true
    /// Accept workflow variables (`Assign`, `$name` references); on by default, since Baton runs them.
    public var allowVariables = true
    /// When set, every Task's function must be one of these (the functions the local runner serves).
    public var availableFunctions: Set<String>? = nil
    /// Also report warnings: values that look like paths in fields that will not evaluate them. Off by
    /// default, so that the result of `validate` is exactly the list of errors.
    public var includeWarnings = false
    /// When JSONata is allowed: parses the text inside one `{% … %}` and returns what is wrong with it, or
    /// `nil` when it parses. `nil` (the default) uses the JSONata module's parser.
    public var jsonataSyntaxCheck: (@Sendable (String) -> String?)? = nil

    /// Makes options; the defaults accept JSONPath- and JSONata-mode ASL with variables, check no functions
    /// and report errors only.
    public init(
        allowJSONata: Bool = true, allowVariables: Bool = true, availableFunctions: Set<String>? = nil,
        includeWarnings: Bool = false
    ) {
        self.allowJSONata = allowJSONata
        self.allowVariables = allowVariables
        self.availableFunctions = availableFunctions
        self.includeWarnings = includeWarnings
    }
}
