import Foundation
import BatonJSON
import ASLDocument

/// What a run asks its driver to do. The driver performs the actions in order.
public enum RunAction: Sendable {
    /// Run a function and report `taskStarted`, then `taskSucceeded` or `taskFailed`, with this id.
    case scheduleTask(TaskRequest)
    /// Report `timerFired(timerId:)` at `due` (or at once, with fast timers, advancing the virtual clock).
    case startTimer(id: Int, due: Date, purpose: TimerPurpose)
    /// Create and run child runs; report `childrenSucceeded` or `childrenFailed` when they are done
    /// (use `ChildRunsTracker` to decide as results arrive).
    case startChildren(ChildRunsRequest)
    /// Append this event to the execution's history.
    case appendHistory(HistoryEvent)
    /// The run is over.
    case finished(RunOutcome)
}

/// Why a timer was started (for logs and the operator; the run only needs the id).
public enum TimerPurpose: String, Sendable, Codable, Hashable {
    case wait
    case retryBackoff
    case executionTimeout
}

/// How a run ended.
public enum RunOutcome: Sendable, Hashable {
    case succeeded(JSON)
    case failed(RunFailure)
    case timedOut(RunFailure)
    case aborted(RunFailure)

    /// The AWS execution status this outcome maps to.
    public var status: String {
        switch self {
        case .succeeded: "SUCCEEDED"
        case .failed: "FAILED"
        case .timedOut: "TIMED_OUT"
        case .aborted: "ABORTED"
        }
    }
}

/// How a Task's result comes back and is shaped.
public enum TaskInvocation: String, Sendable, Codable, Hashable {
    /// `arn:aws:lambda:…:function:NAME`: the function's result is the state's result.
    case lambdaFunction
    /// `arn:aws:states:::lambda:invoke`: the result is wrapped in Lambda's envelope (`Payload`, `StatusCode`, …).
    case lambdaInvoke
    /// `arn:aws:states:…:activity:NAME`.
    case activity
    /// `baton:function:NAME`.
    case batonFunction
    /// `arn:aws:states:::states:startExecution…` (distributed engine only).
    case startExecution
}

/// A task the run wants executed.
public struct TaskRequest: Sendable, Codable, Hashable {
    /// The id to report back with (unique within the run).
    public var id: Int
    /// The Task state's name.
    public var stateName: String
    /// `Resource` as written.
    public var resource: String
    /// The resource form.
    public var invocation: TaskInvocation
    /// The function that serves it.
    public var functionName: String
    /// The function's input (for `lambda:invoke`, the `Payload`).
    @JSONCoded public var input: JSON
    /// `TimeoutSeconds` (resolved from `TimeoutSecondsPath`); `nil` = no limit.
    public var timeoutSeconds: Int?
    /// `HeartbeatSeconds` (resolved); `nil` = none.
    public var heartbeatSeconds: Int?
    /// Retries made so far in this state (0 for the first attempt).
    public var attempt: Int
    /// The task token, for `.waitForTaskToken` resources.
    public var taskToken: String?
    /// True once `taskStarted` was handled (its event written): a second report is ignored. Drivers that
    /// learn of the start late or more than once (the distributed engine) rely on it. Nil means false.
    public var started: Bool?

    /// How to turn a function's failed run into the task's error: a Lambda-style `{"errorType",
    /// "errorMessage", …}` object on stdout gives the error name `errorType`; the cause is the object's JSON text
    /// as AWS prints it for the Lambda resource forms (Python's separators for a function ARN, compact for
    /// `lambda:invoke`) and `errorMessage` for activities and Baton functions. Anything else is
    /// `States.TaskFailed` with `fallbackCause` (the function's stderr).
    public func failure(fromFunctionOutput output: JSON?, fallbackCause: String) -> RunFailure {
        if case .object(let object)? = output, case .string(let type)? = object["errorType"] {
            var ordered = JSONObject()
            ordered["errorMessage"] = object["errorMessage"] ?? .string("")
            ordered["errorType"] = .string(type)
            for (key, value) in object where ordered[key] == nil { ordered[key] = value }
            switch invocation {
            case .lambdaInvoke: return RunFailure(error: type, cause: JSON.object(ordered).serialized())
            case .lambdaFunction: return RunFailure(error: type, cause: pythonStyle(.object(ordered)))
            default:
                let message = object["errorMessage"]
                return RunFailure(error: type, cause: message?.stringValue ?? message?.serialized())
            }
        }
        return RunFailure(error: ASLErrorNameText.taskFailed, cause: fallbackCause)
    }
}

enum ASLErrorNameText {
    static let taskFailed = "States.TaskFailed"
}

/// JSON text with `, ` and `: ` separators, as Python's `json.dumps` writes it (the Lambda runtime's error format).
func pythonStyle(_ json: JSON) -> String {
    switch json {
    case .array(let a): return "[" + a.map(pythonStyle).joined(separator: ", ") + "]"
    case .object(let o): return "{" + o.map { JSON.string($0.key).serialized() + ": " + pythonStyle($0.value) }.joined(separator: ", ") + "}"
    default: return json.serialized()
    }
}

/// Child runs a Map or Parallel state wants.
public struct ChildRunsRequest: Sendable {
    /// `parallel` for Parallel branches, `mapIteration` for inline Map items, `distributedItem` for
    /// `DISTRIBUTED` Map items (each its own child execution with its own history).
    public enum Kind: String, Sendable, Codable, Hashable {
        case parallelBranch
        case mapIteration
        case distributedItem
    }

    /// What the children are.
    public var kind: Kind
    /// The Map or Parallel state's name.
    public var stateName: String
    /// The block each child runs: one per child for Parallel (the branches), one shared for Map.
    public var blocks: [BlockReference]
    /// The children's inputs, in order (for Parallel, the same input once per branch).
    public var inputs: [JSON]
    /// Run at most this many at once (0 = no limit).
    public var maxConcurrency: Int
    /// Fail the whole once more than this many children failed (`nil` = none tolerated).
    public var toleratedFailureCount: Int?
    /// Fail the whole once more than this percentage of children failed (`nil` = none tolerated).
    public var toleratedFailurePercentage: Double?
    /// The id of the event that started the children (their first events follow from it).
    public var startedEventId: Int
    /// The workflow variables every child starts with: a copy of the parent run's (children read outer
    /// variables; what they assign stays in the child). Empty for `DISTRIBUTED` Map items, which AWS runs as
    /// child executions that do not see the parent's variables.
    public var variables: JSONObject = [:]
    /// For a `DISTRIBUTED` Map: the map run its child executions belong to.
    public var mapRun: MapRunIdentity? = nil

    /// The block child `index` runs.
    public func block(forChild index: Int) -> BlockReference { blocks.count == 1 ? blocks[0] : blocks[index] }

    /// The tracker that decides, as results arrive, which children to start and when the whole is done.
    public func makeTracker() -> ChildRunsTracker {
        ChildRunsTracker(count: inputs.count, maxConcurrency: maxConcurrency,
                         toleratedFailureCount: toleratedFailureCount, toleratedFailurePercentage: toleratedFailurePercentage)
    }
}
