// Starting function processes for scheduled tasks (at most `maxProcesses` at once) and turning how a process
// ended into the task's result, with the same contract as `baton worker --exec`:
// stdout is the result JSON; a non-zero exit fails the task, named by a Lambda-style
// `{"errorType", "errorMessage"}` object on stdout when there is one, else `States.TaskFailed` with stderr.
// The process is BatonFunctions' `Subprocess` (the runner `baton worker --exec` uses): a process group of its own,
// killed as a whole on timeout or stop, with bounded output.

import Foundation
import BatonJSON
import BatonFunctions
import ASLCore

extension ExecutionLoop {
    mutating func spawnPendingTasks() {
        while processesInFlight < max(options.maxProcesses, 1), pendingHead < pendingTasks.count {
            let pending = pendingTasks[pendingHead]
            pendingHead += 1
            if pendingHead == pendingTasks.count {
                pendingTasks.removeAll(keepingCapacity: true)
                pendingHead = 0
            }
            guard runs[pending.runId] != nil else { continue }
            spawn(pending)
        }
    }

    private mutating func spawn(_ pending: PendingTask) {
        let request = pending.request
        let runId = pending.runId
        guard let command = options.functions[request.functionName] else {
            enqueue(.event(runId: runId, .taskFailed(taskId: request.id, failure: RunFailure(
                error: "States.TaskFailed", cause: "No command serves the function \(request.functionName) (use --function \(request.functionName)=COMMAND)"))))
            return
        }
        let deadline = [request.timeoutSeconds, request.heartbeatSeconds].compactMap { $0 }.min()
        let heartbeatFirst = request.heartbeatSeconds != nil && request.heartbeatSeconds == deadline
            && (request.timeoutSeconds ?? Int.max) > (request.heartbeatSeconds ?? 0)
        let inbox = self.inbox
        processesInFlight += 1
        let outputLimit = Self.stdoutLimit(payloadSizeLimit: options.payloadSizeLimit)
        let process = Subprocess.start(command: command, input: request.input.serializedBytes(), outputLimit: outputLimit,
                                       timeoutSeconds: deadline.map(Double.init)) { result in
            let event = Self.event(for: request, result: result, heartbeatFirst: heartbeatFirst, outputLimit: outputLimit)
            inbox.yield(.taskDone(runId: runId, taskId: request.id, event))
        }
        runs[runId]?.processes[request.id] = process
        deliver(.taskStarted(taskId: request.id), to: runId)
    }

    /// The most stdout kept from a function. The payload limit applies to the parsed result (in ASLCore), and
    /// stdout may be pretty-printed, so the bound is generous; only stdout beyond it fails here, with the same
    /// `States.DataLimitExceeded`.
    static func stdoutLimit(payloadSizeLimit: Int?) -> Int {
        max((payloadSizeLimit ?? 0) * 4, 16 * 1024 * 1024)
    }

    static func event(for request: TaskRequest, result: Result<SubprocessResult, any Error>, heartbeatFirst: Bool,
                      outputLimit: Int) -> RunEvent {
        let ended: SubprocessResult
        switch result {
        case .failure(let error):
            return .taskFailed(taskId: request.id, failure: RunFailure(error: "States.TaskFailed", cause: "Could not start the function: \(error)"))
        case .success(let value):
            ended = value
        }
        if ended.timedOut {
            return .taskFailed(taskId: request.id, failure: RunFailure(
                error: heartbeatFirst ? "States.HeartbeatTimeout" : "States.Timeout", cause: nil))
        }
        if ended.stdoutExceededLimit {
            return .taskFailed(taskId: request.id, failure: RunFailure(
                error: "States.DataLimitExceeded",
                cause: "The function \(request.functionName) wrote more than \(outputLimit) bytes to stdout."))
        }
        let stdoutText = String(decoding: ended.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let stdoutJSON = stdoutText.isEmpty ? JSON.null : try? JSON(parsing: stdoutText)
        if ended.exitStatus == 0 {
            guard let output = stdoutJSON else {
                return .taskFailed(taskId: request.id, failure: RunFailure(
                    error: "States.TaskFailed", cause: "The function \(request.functionName) wrote output that is not JSON: \(stdoutText.prefix(200))"))
            }
            return .taskSucceeded(taskId: request.id, output: output)
        }
        var stderrText = String(decoding: ended.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if stderrText.isEmpty, ended.exitStatus == nil, let signal = ended.terminationSignal {
            stderrText = "The function \(request.functionName) was terminated by signal \(signal)"
        }
        return .taskFailed(taskId: request.id, failure: request.failure(fromFunctionOutput: stdoutJSON, fallbackCause: stderrText))
    }
}
