// Running one claimed task: the function's closure runs in a task of its own (so the runtime can cancel exactly
// this one), raced against a watchdog for TimeoutSeconds / HeartbeatSeconds when the task has either (a task
// without deadlines just awaits its closure: no further tasks or timers per task). The start of a task still
// running after `startedAnnouncementDelay` is announced by the runtime's announcer (WorkerRuntime+Announcer.swift).
// The outcome:
// - the closure returned                → check the output (JSON, size limit) and report it (fenced by the lease)
// - a local deadline passed             → the watchdog reports States.Timeout / States.HeartbeatTimeout at once (the
//   rescuer would do the same later; whichever comes first wins the fence) and cancels the closure
// - the closure threw                   → report the error by its ASL name (TaskError.swift)
// - it was stopped: lease lost          → drop (the task belongs to someone else now)
//                   worker shutting down → release the task to the queue
// Reports and releases run in unstructured tasks so that a cancelled worker still records what it knows.
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation
import Logging

struct TaskRunner: Sendable {
    let runtime: WorkerRuntime
    let task: ClaimedTask

    private var logger: Logger {
        var logger = runtime.logger
        logger[metadataKey: "task.id"] = .stringConvertible(task.id)
        logger[metadataKey: "execution.id"] = .stringConvertible(task.executionID)
        logger[metadataKey: "task.attempt"] = .stringConvertible(task.attempt)
        return logger
    }

    func run() async {
        let context = TaskContext(task: task) { [runtime, task] in try await TaskRunner(runtime: runtime, task: task).heartbeat() }
        let handler = runtime.worker.handler
        let input = task.input
        let runner = Task { try await handler(input, context) }
        let stoppedEarly = runtime.state.withLock { state -> Bool in
            state.inFlight[task.id]?.runner = runner
            return state.inFlight[task.id]?.stopReason != nil
        }
        if stoppedEarly { runner.cancel() }

        let hasDeadline = task.timeoutSeconds != nil || task.heartbeatSeconds != nil
        let result: Result<String, any Error>
        if hasDeadline {
            result = await withTaskGroup(of: Result<String, any Error>?.self) { group in
                group.addTask {
                    await withTaskCancellationHandler { await runner.result } onCancel: { runner.cancel() }
                }
                group.addTask {
                    await self.watchdog()
                    return nil
                }
                var result: Result<String, any Error>?
                while let next = await group.next() {
                    if let next {
                        result = next
                        group.cancelAll()  // stops the watchdog
                    }
                }
                return result ?? .failure(CancellationError())
            }
        } else {
            result = await withTaskCancellationHandler { await runner.result } onCancel: { runner.cancel() }
        }
        let reason = runtime.entry(task.id)?.stopReason
        switch (result, reason) {
        case (_, .timedOut?):
            break  // reported by the watchdog
        case (.success(let output), _):
            await record(outcome(forOutput: output))
        case (.failure, .leaseLost?):
            logger.debug("dropped the result of a task that was taken away")
        case (.failure, .shutdown?):
            await release()
        case (.failure(let error), nil):
            if Task.isCancelled {
                await release()  // the worker itself was cancelled
            } else {
                let (name, cause) = taskErrorNameAndCause(error)
                await record(.failed(error: name, cause: cause))
            }
        }
        runtime.finished(task.id)
    }

    /// The outcome for a closure's output: the output itself, or a failure when it is not JSON or too large.
    func outcome(forOutput output: String) -> TaskOutcome {
        let limit = runtime.configuration.payloadLimit
        if output.utf8.count > limit {
            return .failed(
                error: QueueErrorName.dataLimitExceeded,
                cause: "The state/task '\(task.resource)' returned a result with a size exceeding the maximum number of bytes service limit (\(output.utf8.count) bytes > \(limit)).")
        }
        if runtime.worker.checksOutput {
            do {
                _ = try JSON(parsing: output)
            } catch {
                return .failed(
                    error: QueueErrorName.taskFailed,
                    cause: "The function \(task.functionName) returned output that is not JSON (\(error)): \(output.prefix(200))")
            }
        }
        return .succeeded(output: output)
    }

    /// Sleeps until the task's TimeoutSeconds or HeartbeatSeconds deadline (the latter moves with heartbeats);
    /// when one passes, reports the timeout and cancels the closure. Returns early when cancelled.
    private func watchdog() async {
        while !Task.isCancelled {
            guard let entry = runtime.entry(task.id) else { return }
            let deadlines = [entry.timeoutDeadline.map { ($0, QueueErrorName.timeout) },
                             entry.heartbeatDeadline.map { ($0, QueueErrorName.heartbeatTimeout) }].compactMap { $0 }
            guard let (deadline, name) = deadlines.min(by: { $0.0 < $1.0 }) else { return }
            if ContinuousClock.now < deadline {
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                continue  // the heartbeat deadline may have moved meanwhile
            }
            guard runtime.stop(task.id, .timedOut(errorName: name)) else { return }
            logger.info("task deadline passed; failing it", metadata: ["task.error": .string(name)])
            await record(.failed(error: name, cause: nil))
            return
        }
    }

    /// `TaskContext.heartbeat()`: fenced by the lease token.
    func heartbeat() async throws {
        let runtime = self.runtime
        let task = self.task
        let result = try await runtime.pool.withConnection { connection in
            try await runtime.queue.heartbeat(
                taskID: task.id, leaseToken: task.leaseToken, leaseSeconds: runtime.configuration.leaseSeconds, on: connection)
        }
        switch result {
        case .extended:
            if let seconds = task.heartbeatSeconds {
                let deadline = ContinuousClock.now + .seconds(seconds)
                runtime.state.withLock { $0.inFlight[task.id]?.heartbeatDeadline = deadline }
            }
        case .lost:
            runtime.stop(task.id, .leaseLost)
            throw TaskLeaseLost(taskID: task.id)
        }
    }

    /// Reports the outcome (fenced), through the runtime's group-commit writer.
    private func record(_ outcome: TaskOutcome) async {
        await runtime.flusher.record(taskID: task.id, leaseToken: task.leaseToken, outcome: outcome)
    }

    private func release() async {
        let runtime = self.runtime
        let task = self.task
        let logger = self.logger
        await Task {
            do {
                let released = try await runtime.pool.withConnection { connection in
                    try await runtime.queue.release(taskID: task.id, leaseToken: task.leaseToken, on: connection)
                }
                logger.info(released ? "released the task to the queue" : "the task was no longer held; nothing to release")
            } catch {
                logger.warning("could not release the task; the rescuer will redeliver it", metadata: ["error": .string("\(error)")])
            }
        }.value
    }
}

extension TaskOutcome {
    var isSuccess: Bool {
        if case .succeeded = self { return true }
        return false
    }
}
