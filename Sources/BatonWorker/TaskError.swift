// How an error thrown by a function becomes the ASL error name and cause that `Retry`/`Catch` `ErrorEquals` match.
//
// The rule (as Lambda runtimes do it, where `errorType` is the exception's class name):
// - an error conforming to `TaskError` names itself (`errorName`, `cause`);
// - any other error is named by its Swift type name, unqualified (`DecodingError`, `MyValidationError`), with
//   `String(describing: error)` as the cause. So a definition can catch a custom Swift error by its type name
//   without conforming it to anything, and `States.TaskFailed` stays reserved for failures Baton itself detects
//   (a crashed process, a lost worker).

/// An error a function throws to choose the ASL error name and cause of its failed task.
public protocol TaskError: Error {
    /// The ASL error name (`ErrorEquals` matches it), e.g. `"InsufficientFunds"`.
    var errorName: String { get }
    /// The cause text (free-form; often JSON or a message).
    var cause: String { get }
}

/// A ready-made `TaskError`: throw `TaskFailure("InsufficientFunds", cause: "balance 3 < 10")`.
public struct TaskFailure: TaskError, Sendable, Equatable, CustomStringConvertible {
    /// The ASL error name.
    public var errorName: String
    /// The cause text.
    public var cause: String

    /// A failure with this name and cause.
    public init(_ errorName: String, cause: String = "") {
        self.errorName = errorName
        self.cause = cause
    }

    /// `name: cause`.
    public var description: String { cause.isEmpty ? errorName : "\(errorName): \(cause)" }
}

/// The ASL error name and cause for an error thrown by a function (see the rule at the top of the file).
public func taskErrorNameAndCause(_ error: any Error) -> (name: String, cause: String) {
    if let error = error as? any TaskError {
        return (error.errorName, error.cause)
    }
    var name = String(describing: type(of: error))
    // Generic and nested types: keep the last component without generic arguments ("Outer.Inner<T>" → "Inner").
    if let angle = name.firstIndex(of: "<") { name = String(name[..<angle]) }
    if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
    return (name, String(describing: error))
}
