/// The name of an ASL error, as `Retry`/`Catch` `ErrorEquals` match it: one of the predefined
/// `States.*` names, or any name a function raises (`CustomException`, `Lambda.Unknown`, …).
public struct ASLErrorName: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Matches every error in `ErrorEquals` (except `States.Runtime` and, for Retry, nothing special).
    public static let all: ASLErrorName = "States.ALL"
    public static let runtime: ASLErrorName = "States.Runtime"
    public static let taskFailed: ASLErrorName = "States.TaskFailed"
    public static let timeout: ASLErrorName = "States.Timeout"
    public static let heartbeatTimeout: ASLErrorName = "States.HeartbeatTimeout"
    public static let dataLimitExceeded: ASLErrorName = "States.DataLimitExceeded"
    public static let intrinsicFailure: ASLErrorName = "States.IntrinsicFailure"
    public static let branchFailed: ASLErrorName = "States.BranchFailed"
    public static let noChoiceMatched: ASLErrorName = "States.NoChoiceMatched"
    public static let parameterPathFailure: ASLErrorName = "States.ParameterPathFailure"
    public static let resultPathMatchFailure: ASLErrorName = "States.ResultPathMatchFailure"
    public static let itemReaderFailed: ASLErrorName = "States.ItemReaderFailed"
    public static let resultWriterFailed: ASLErrorName = "States.ResultWriterFailed"
    public static let exceedToleratedFailureThreshold: ASLErrorName = "States.ExceedToleratedFailureThreshold"
    public static let permissions: ASLErrorName = "States.Permissions"
    public static let queryEvaluationError: ASLErrorName = "States.QueryEvaluationError"
}

/// An error raised while a state runs: its ASL name and its cause text, exactly as AWS would report them.
public struct ASLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var name: ASLErrorName
    public var cause: String

    public init(_ name: ASLErrorName, _ cause: String) {
        self.name = name
        self.cause = cause
    }

    public var description: String { "\(name.rawValue): \(cause)" }
}
