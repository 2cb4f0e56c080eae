// What a function sees of its task besides the input: identity, the idempotency key, the attempt, and a way to
// send heartbeats. Cancellation arrives as Swift task cancellation (`Task.isCancelled`, `try Task.checkCancellation()`,
// cancellable awaits), when the task times out, misses its heartbeat, is stopped or redelivered, or the worker stops.
import BatonQueue
import Foundation

/// The context handed to a function with each task.
public struct TaskContext: Sendable {
    /// The task id (`baton.tasks.id`).
    public let taskID: Int64
    /// The execution id (`baton.executions.id`).
    public let executionID: Int64
    /// The Task state's name.
    public let stateName: String
    /// The function name.
    public let functionName: String
    /// The Resource ARN of the state.
    public let resource: String
    /// ASL attempt number: 1 first try, 2 first retry, ….
    public let attempt: Int
    /// Which delivery of this attempt: above 1 means an earlier worker was lost while running it.
    public let delivery: Int
    /// Execution, state (and item) and attempt — the same on every redelivery of this attempt, different on a
    /// retry. Use it to make side effects idempotent (at-least-once delivery).
    public let idempotencyKey: String
    /// `HeartbeatSeconds` of the state, if any: call `heartbeat()` more often than this.
    public let heartbeatSeconds: Int?
    let sendHeartbeat: @Sendable () async throws -> Void

    init(task: ClaimedTask, sendHeartbeat: @escaping @Sendable () async throws -> Void) {
        taskID = task.id
        executionID = task.executionID
        stateName = task.stateName
        functionName = task.functionName
        resource = task.resource
        attempt = task.attempt
        delivery = task.delivery
        idempotencyKey = task.idempotencyKey
        heartbeatSeconds = task.heartbeatSeconds
        self.sendHeartbeat = sendHeartbeat
    }

    /// Tells Baton the task is still making progress: moves its HeartbeatSeconds deadline. Throws
    /// `TaskLeaseLost` (and the task is cancelled) when the task is no longer this worker's.
    public func heartbeat() async throws {
        try await sendHeartbeat()
    }
}

/// Thrown by `TaskContext.heartbeat()` when the task was taken away (timed out, stopped, redelivered): stop working
/// on it; its result would be rejected.
public struct TaskLeaseLost: Error, Sendable, CustomStringConvertible {
    /// The task.
    public var taskID: Int64
    /// Says what happened.
    public var description: String { "task \(taskID) is no longer held by this worker (timed out, stopped or redelivered)" }
}
