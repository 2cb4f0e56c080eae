// Activity tasks for outside workers, over BatonQueue: GetActivityTask claims one task of the activity (the
// same SKIP LOCKED claim Baton workers use, so both kinds of worker share the queue) with a long lease — the
// state's TimeoutSeconds and HeartbeatSeconds still apply through the task's own deadlines, and AWS lets an
// activity task without them wait indefinitely. Results and heartbeats are fenced by the delivery's lease
// token inside the task token, so a late or replayed token changes nothing.
import BatonEngine
import BatonPostgres
import BatonQueue
import Foundation

extension EngineBackend {
    /// The lease an outside activity worker gets: a year, i.e. bounded only by the task's own deadlines.
    static let activityLeaseSeconds = 365.0 * 86_400

    public func claimActivityTask(activity: String, workerName: String?) async throws -> ActivityTask? {
        let queue = TaskQueue(logger: logger)
        let worker = "activity-worker:" + (workerName ?? "anonymous")
        return try await runQueue("GetActivityTask") { connection in
            guard
                let task = try await queue.claim(
                    functionName: activity, workerID: worker, limit: 1, leaseSeconds: Self.activityLeaseSeconds,
                    on: connection
                ).first
            else { return nil }
            // An outside worker's task runs for an unknown time: announce its start now (TaskStarted in the history).
            try await queue.announceStarted([(task.id, task.leaseToken)], on: connection)
            return ActivityTask(token: TaskToken(taskID: task.id, leaseToken: task.leaseToken).text, input: task.input)
        }
    }

    public func sendTaskSuccess(token: String, output: String) async throws {
        try await complete(token: token, outcome: .succeeded(output: output), operation: "SendTaskSuccess")
    }

    public func sendTaskFailure(token: String, error: String?, cause: String?) async throws {
        try await complete(
            token: token, outcome: .failed(error: error ?? "States.TaskFailed", cause: cause), operation: "SendTaskFailure")
    }

    public func sendTaskHeartbeat(token: String) async throws {
        if CallbackStore.isCallbackToken(token) {
            let result = try await runQueue("SendTaskHeartbeat") { connection in
                try await CallbackStore().heartbeat(token: token, on: connection)
            }
            try Self.check(result)
            return
        }
        let parsed = try TaskToken.parse(token)
        let queue = TaskQueue(logger: logger)
        let result = try await runQueue("SendTaskHeartbeat") { connection in
            try await queue.heartbeat(
                taskID: parsed.taskID, leaseToken: parsed.leaseToken, leaseSeconds: Self.activityLeaseSeconds, on: connection)
        }
        if case .lost = result { throw try await ended(parsed) }
    }

    private func complete(token: String, outcome: TaskOutcome, operation: String) async throws {
        if CallbackStore.isCallbackToken(token) {
            let result = try await runQueue(operation) { connection in
                try await CallbackStore().complete(token: token, outcome: outcome, on: connection)
            }
            try Self.check(result)
            return
        }
        let parsed = try TaskToken.parse(token)
        let queue = TaskQueue(logger: logger)
        let result = try await runQueue(operation) { connection in
            try await queue.complete(taskID: parsed.taskID, leaseToken: parsed.leaseToken, outcome: outcome, on: connection)
        }
        if case .rejected(let status) = result {
            throw status == nil ? APIError("TaskDoesNotExist", "Task Does Not Exist: the token names no task") : try await ended(parsed)
        }
    }

    /// The answer for a callback token: unknown is TaskDoesNotExist; a wait that is over (the token was used,
    /// timed out, or its execution ended) is TaskTimedOut, AWS's answer for a closed task.
    static func check(_ result: CallbackResult) throws(APIError) {
        switch result {
        case .recorded: return
        case .unknown: throw APIError("TaskDoesNotExist", "Task Does Not Exist: the token names no task")
        case .closed: throw APIError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        }
    }

    /// The error for a token whose delivery is over: TaskDoesNotExist when the task is gone, else TaskTimedOut
    /// (AWS's answer for a token of a task that timed out, finished or was handed to someone else).
    private func ended(_ token: TaskToken) async throws -> APIError {
        let exists = try await runQueue("task lookup") { connection in
            try await !connection.query("SELECT 1 FROM baton.tasks WHERE id = $1", [token.taskID]).isEmpty
        }
        guard exists else { return APIError("TaskDoesNotExist", "Task Does Not Exist: the token names no task") }
        return APIError("TaskTimedOut", "Task Timed Out: the task of this token is no longer running (timed out, finished or redelivered)")
    }

    func runQueue<T: Sendable>(_ what: String, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await pool.withConnection(body)
        } catch let error as APIError {
            throw error
        } catch {
            logger.error("database failure", metadata: ["operation": "\(what)", "error": "\(String(describing: error))"])
            throw APIError.internalFailure("\(what) failed: the database did not answer as expected (see the server log)")
        }
    }
}
