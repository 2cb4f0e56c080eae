// How a failed task row becomes the failure the core sees. `baton worker --exec` records a function's
// Lambda-style error object (`{"errorType", "errorMessage", …}` on stdout) as it is, in `cause`; the core
// decides what AWS reports for the task's resource form (the whole object, compact for `lambda:invoke` and
// with Python's separators for a function ARN; `errorMessage` for activities and Baton functions), exactly as
// it does for `baton run --function`. Any other cause (a Swift worker's error, the rescuer's) passes unchanged.
import ASLCore
import BatonJSON

extension InboxApplier.TaskRow {
    /// The failure to hand the core for this failed row of the task `request`.
    func failure(for request: TaskRequest) -> RunFailure {
        if let cause, cause.hasPrefix("{"), case .object(let document)? = try? JSON(parsing: cause),
           let error, document["errorType"]?.stringValue == error {
            return request.failure(fromFunctionOutput: .object(document), fallbackCause: cause)
        }
        return RunFailure(error: error, cause: cause)
    }
}
