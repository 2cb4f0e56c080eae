// How `ErrorEquals` matches an error name, shared by Retry and Catch.
//
// - `States.ALL` matches every error except `States.Runtime` (AWS never retries or catches it; the
//   conformance corpus confirms that even an explicit `States.Runtime` catcher does not fire).
// - `States.TaskFailed` matches every error except `States.Timeout` (and `States.Runtime`).
// - Any other name matches itself.

import ASLExpressions

/// The `ErrorEquals` list of a retrier or catcher.
public struct ErrorMatcher: Sendable, Hashable {
    /// The error names as written.
    public var names: [String]

    public init(names: [String]) { self.names = names }

    /// Whether an error with this name is matched.
    public func matches(_ error: String) -> Bool {
        if error == ASLErrorName.runtime.rawValue { return false }
        for name in names {
            if name == error { return true }
            if name == ASLErrorName.all.rawValue { return true }
            if name == ASLErrorName.taskFailed.rawValue && error != ASLErrorName.timeout.rawValue
                && !error.isEmpty { return isTaskFailure(error) }
        }
        return false
    }

    /// `States.TaskFailed` stands for errors a task raised: every name except the `States.*` names the
    /// engine itself raises for other reasons.
    private func isTaskFailure(_ error: String) -> Bool {
        switch error {
        case ASLErrorName.timeout.rawValue, ASLErrorName.runtime.rawValue: return false
        default: return true
        }
    }
}

/// An error a state failed with: the ASL error name and cause, either of which may be absent
/// (a Fail state without `Error`/`Cause`).
public struct RunFailure: Error, Sendable, Hashable, Codable {
    /// The error name (`States.Timeout`, `CustomError`, …).
    public var error: String?
    /// The cause text.
    public var cause: String?

    public init(error: String?, cause: String?) {
        self.error = error
        self.cause = cause
    }

    /// From an `ASLError` raised by an expression.
    public init(_ error: ASLError) {
        self.error = error.name.rawValue
        self.cause = error.cause
    }

    /// The error output a Catch passes on: `{"Error": …, "Cause": …}` (absent members omitted).
    public var errorOutput: JSON {
        var object = JSONObject()
        if let error { object["Error"] = .string(error) }
        if let cause { object["Cause"] = .string(cause) }
        return .object(object)
    }
}

import BatonJSON
