import BatonJSON

/// Something that happened to a run, which the driver feeds to `Run.handle(_:…)`.
///
/// Ids are those of the actions the run asked for; an event whose id the run is no longer waiting for
/// (a late task result, a timer of a state already left) is ignored, so stale deliveries are harmless.
public enum RunEvent: Sendable {
    /// The driver handed the task to a worker (history `TaskStarted`).
    case taskStarted(taskId: Int)
    /// The task's function returned this output (raw: the core wraps `lambda:invoke` results itself).
    case taskSucceeded(taskId: Int, output: JSON)
    /// The task failed; `States.Timeout` and `States.HeartbeatTimeout` when the driver timed it out.
    case taskFailed(taskId: Int, failure: RunFailure)
    /// A timer the run started is due.
    case timerFired(timerId: Int)
    /// Every child run the last `startChildren` asked for succeeded, with these outputs in child order.
    case childrenSucceeded(outputs: [JSON])
    /// The children failed as a whole (one failed, or the tolerated failure threshold was exceeded).
    case childrenFailed(RunFailure)
    /// Stop the run (`StopExecution`, or a sibling failed): it ends `ABORTED`.
    case stop(error: String?, cause: String?)
}
