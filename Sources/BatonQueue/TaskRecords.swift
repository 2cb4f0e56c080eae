// The values that go into and come out of the task queue's statements (`baton.tasks`).
import BatonJSON
import Foundation

/// A task to insert with `TaskQueue.enqueue`: one attempt of a Task state.
public struct NewTask: Sendable, Equatable {
    /// The execution (`baton.executions.id`).
    public var executionID: Int64
    /// The Map item or Parallel branch the task runs in (`baton.fan_out_items.id`), nil at the top level.
    public var fanOutItemID: Int64?
    /// The Task state's name.
    public var stateName: String
    /// The function that runs it; workers claim by this name.
    public var functionName: String
    /// The Resource ARN as written in the definition.
    public var resource: String
    /// The task input, exact JSON text.
    public var input: String
    /// ASL attempt number (1 first try, 2 first retry, …).
    public var attempt: Int
    /// Handed to the function so it can recognise a redelivered duplicate (see `idempotencyKey(...)`).
    public var idempotencyKey: String
    /// `TimeoutSeconds` of the state, if any (counted from each claim).
    public var timeoutSeconds: Int?
    /// `HeartbeatSeconds` of the state, if any (counted from the claim and from each heartbeat).
    public var heartbeatSeconds: Int?
    /// Lower runs first (0…100, default 1).
    public var priority: Int
    /// Not claimed before this time (nil: now). Coarse: a worker finds a future task at its next poll, so exact
    /// delays (Retry back-off) belong in coordinator timers, which insert the task when due.
    public var runAfter: Date?
    /// How many times a lost worker may lose the task before it fails with `States.TaskFailed`.
    public var maxDeliveries: Int

    /// A task with the given fields; see each property.
    public init(
        executionID: Int64, fanOutItemID: Int64? = nil, stateName: String, functionName: String, resource: String,
        input: String, attempt: Int = 1, idempotencyKey: String? = nil, timeoutSeconds: Int? = nil,
        heartbeatSeconds: Int? = nil, priority: Int = 1, runAfter: Date? = nil, maxDeliveries: Int = 3
    ) {
        self.executionID = executionID
        self.fanOutItemID = fanOutItemID
        self.stateName = stateName
        self.functionName = functionName
        self.resource = resource
        self.input = input
        self.attempt = attempt
        self.idempotencyKey =
            idempotencyKey
            ?? NewTask.idempotencyKey(
                executionID: executionID, stateName: stateName, fanOutItemID: fanOutItemID, attempt: attempt)
        self.timeoutSeconds = timeoutSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.priority = priority
        self.runAfter = runAfter
        self.maxDeliveries = maxDeliveries
    }

    /// The default idempotency key: `execution/state[/item]/attempt`, the same for every redelivery of one
    /// attempt and different for each retry. Coordinators may pass a key built from the execution ARN instead.
    public static func idempotencyKey(executionID: Int64, stateName: String, fanOutItemID: Int64?, attempt: Int) -> String {
        var key = "\(executionID)/\(stateName)"
        if let fanOutItemID { key += "/item-\(fanOutItemID)" }
        return key + "/\(attempt)"
    }
}

/// A task a worker claimed: what the function needs, and the lease that fences its result.
public struct ClaimedTask: Sendable, Equatable {
    /// Task id (`baton.tasks.id`).
    public var id: Int64
    /// The execution.
    public var executionID: Int64
    /// The Map item or Parallel branch, nil at the top level.
    public var fanOutItemID: Int64?
    /// The Task state's name.
    public var stateName: String
    /// The function to run.
    public var functionName: String
    /// The Resource ARN.
    public var resource: String
    /// The task input, exact JSON text.
    public var input: String
    /// ASL attempt number.
    public var attempt: Int
    /// Which delivery of this attempt this is (1 first; more after a lost worker).
    public var delivery: Int
    /// The most deliveries allowed.
    public var maxDeliveries: Int
    /// Execution, state (and item) and attempt: the same on every redelivery.
    public var idempotencyKey: String
    /// The fencing token of this delivery; every heartbeat and the result must carry it.
    public var leaseToken: UUID
    /// When the lease ends unless the worker's registry heartbeat extends it.
    public var leaseExpiresAt: Date
    /// When the task fails with `States.Timeout` (nil: no TimeoutSeconds).
    public var timeoutAt: Date?
    /// When the task fails with `States.HeartbeatTimeout` unless a heartbeat moves it (nil: no HeartbeatSeconds).
    public var heartbeatDeadlineAt: Date?
    /// `TimeoutSeconds`, if any.
    public var timeoutSeconds: Int?
    /// `HeartbeatSeconds`, if any.
    public var heartbeatSeconds: Int?
    /// Claim order within a batch: priority …
    public var priority: Int
}

/// How a task ended, as reported by its worker.
public enum TaskOutcome: Sendable, Equatable {
    /// The function returned this output (exact JSON text).
    case succeeded(output: String)
    /// The function failed with this ASL error name and cause.
    case failed(error: String, cause: String?)

    /// The outcome as PostgreSQL text can hold it: a NUL character (which a function may write to stderr,
    /// the cause of a crash) becomes U+FFFD. Unchanged otherwise, so a result is stored exactly.
    var storable: TaskOutcome {
        func clean(_ text: String) -> String {
            text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
        }
        switch self {
        case .succeeded(let output): return .succeeded(output: clean(output))
        case .failed(let error, let cause): return .failed(error: clean(error), cause: cause.map(clean))
        }
    }
}

/// What `TaskQueue.complete` did with a result.
public enum CompletionResult: Sendable, Equatable {
    /// Recorded; a `task_finished` inbox row was written and the coordinators notified.
    case recorded(inboxID: Int64)
    /// Rejected: the task is no longer held under this lease token (timed out, cancelled, or redelivered to
    /// another worker). Nothing was changed. `currentStatus` is the task's status now (nil if it no longer exists).
    case rejected(currentStatus: String?)
}

/// What a per-task heartbeat (`TaskQueue.heartbeat`) found.
public enum TaskHeartbeatResult: Sendable, Equatable {
    /// Still ours; the heartbeat deadline is now this (nil when the task has no HeartbeatSeconds).
    case extended(heartbeatDeadlineAt: Date?)
    /// No longer ours (timed out, cancelled, redelivered): stop working on it.
    case lost
}
