import BatonJSON

/// What an expression can read: the state input (`$`), the context object (`$$`) and the workflow
/// variables (`$name`).
public struct ExpressionScope: Sendable {
    /// The document `$` refers to: the state input (or, for `ResultSelector`, the result).
    public var input: JSON
    /// The context object `$$` refers to.
    public var context: JSON
    /// Workflow variables, looked up by a path such as `$name.field`.
    public var variables: JSONObject

    /// A scope over `input`, with an optional context object and variables.
    public init(input: JSON, context: JSON = .emptyObject, variables: JSONObject = ExpressionScope.noVariables) {
        self.input = input
        self.context = context
        self.variables = variables
    }
}

extension ExpressionScope {
    /// No workflow variables.
    public static let noVariables = JSONObject()
}

extension JSON {
    /// `{}`.
    @usableFromInline static let emptyObject: JSON = .object(JSONObject())
}

/// Why a path or an intrinsic function call cannot be parsed; found when a definition is loaded.
public struct PathSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong in the text, in words (with the position where it helps).
    public var message: String

    /// An error with this message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
