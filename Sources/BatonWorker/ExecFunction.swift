// A function served by a shell command, with the contract of `baton run --function NAME=COMMAND`:
// - COMMAND runs with `/bin/sh -c`, the task input (exact JSON text) on stdin, and the task's identity in the
//   environment (BATON_TASK_ID, BATON_EXECUTION_ID, BATON_STATE_NAME, BATON_ATTEMPT, BATON_DELIVERY,
//   BATON_IDEMPOTENCY_KEY) for functions that need at-least-once safety;
// - exit 0: stdout (trimmed) is the result and must be JSON (empty stdout is `null`); anything else fails the
//   task with States.TaskFailed saying so; stdout larger than the payload limit fails it with
//   States.DataLimitExceeded and AWS's cause (checked while reading, so a huge reply never sits in memory);
// - non-zero exit: a Lambda-style `{"errorType": …, "errorMessage": …}` object on stdout names the error, and
//   the object itself is the recorded cause: the coordinator has the core turn it into what AWS reports for the
//   task's resource form, as `baton run --function` does; otherwise States.TaskFailed with stderr as the cause
//   (or the exit status / signal when stderr is empty);
// - cancellation (timeout, shutdown, lease lost) kills the process group at once.
// The process itself is run by BatonFunctions' `Subprocess`, shared with `baton run --function` (BatonLocal).
import BatonFunctions
import BatonJSON
import BatonQueue
import Foundation

/// Runs a shell command per task (see the contract at the top of the file).
public struct ExecFunction: Sendable {
    /// The command line, run with `/bin/sh -c`.
    public var command: String
    /// The largest accepted stdout, in bytes (larger fails with `States.DataLimitExceeded`).
    public var payloadLimit: Int

    /// A function that runs `command`.
    public init(command: String, payloadLimit: Int = 256 * 1024) {
        self.command = command
        self.payloadLimit = payloadLimit
    }

    /// Runs the command for one task and returns its result as JSON text, or throws a `TaskFailure` with the
    /// ASL error name and cause.
    public func run(input: String, context: TaskContext) async throws -> String {
        let environment = [
            "BATON_TASK_ID": "\(context.taskID)", "BATON_EXECUTION_ID": "\(context.executionID)",
            "BATON_STATE_NAME": context.stateName, "BATON_FUNCTION": context.functionName,
            "BATON_ATTEMPT": "\(context.attempt)", "BATON_DELIVERY": "\(context.delivery)",
            "BATON_IDEMPOTENCY_KEY": context.idempotencyKey,
        ]
        let ended: SubprocessResult
        do {
            ended = try await Subprocess.run(
                command: command, input: Array(input.utf8), environment: environment, outputLimit: payloadLimit)
        } catch let error as SubprocessError {
            throw TaskFailure(QueueErrorName.taskFailed, cause: "could not start the function: \(error)")
        }
        try Task.checkCancellation()
        return try Self.result(of: ended, functionName: context.functionName, resource: context.resource,
                               stateName: context.stateName, payloadLimit: payloadLimit)
    }

    /// Turns how the process ended into the result text or a thrown `TaskFailure`.
    static func result(of ended: SubprocessResult, functionName: String, resource: String, stateName: String,
                       payloadLimit: Int) throws -> String {
        if ended.stdoutExceededLimit {
            // AWS's words, naming what the core names when the engine's own limit trips: `lambda` for
            // lambda:invoke, the function ARN for a Lambda ARN resource, else the state.
            let subject = resource.hasPrefix("arn:aws:states:::lambda:invoke") ? "lambda"
                : resource.hasPrefix("arn:aws:lambda:") ? resource : stateName
            throw TaskFailure(
                QueueErrorName.dataLimitExceeded,
                cause: "The state/task '\(subject)' returned a result with a size exceeding the maximum number of bytes service limit.")
        }
        let stdout = String(decoding: ended.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = String(decoding: ended.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if ended.exitStatus == 0 {
            if stdout.isEmpty { return "null" }
            do {
                _ = try JSON(parsing: stdout)
            } catch {
                throw TaskFailure(
                    QueueErrorName.taskFailed,
                    cause: "The function \(functionName) wrote output that is not JSON (\(error)): \(stdout.prefix(200))")
            }
            return stdout
        }
        if let object = (try? JSON(parsing: stdout))?.objectValue, let errorType = object["errorType"]?.stringValue {
            throw TaskFailure(errorType, cause: stdout)
        }
        var cause = stderr
        if cause.isEmpty {
            if let signal = ended.terminationSignal {
                cause = "The function \(functionName) was terminated by signal \(signal)"
            } else {
                cause = "The function \(functionName) exited with status \(ended.exitStatus ?? -1)"
            }
        }
        throw TaskFailure(QueueErrorName.taskFailed, cause: cause)
    }
}

extension Worker {
    /// A worker that serves `function` by running `exec` per task.
    public convenience init(function: String, configuration: WorkerConfiguration, exec: ExecFunction) {
        self.init(function: function, configuration: configuration, outputIsValidated: true) { input, context in
            try await exec.run(input: input, context: context)
        }
    }
}
