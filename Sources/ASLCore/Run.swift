// The unit of interpretation: one execution of one block of states (the whole execution, one Parallel
// branch, or one Map iteration). A run is a plain value: the driver stores it (in memory, or in a database
// row), feeds it events with the current time and a random seed, and performs the actions it returns.
// Nothing in here reads a clock, a random source or the outside world.

import Foundation
import BatonJSON
import ASLExpressions

/// What a run is, which decides the history events around it.
public enum RunKind: Sendable, Codable, Hashable {
    /// The execution itself: `ExecutionStarted` … `ExecutionSucceeded`/`Failed`/`TimedOut`/`Aborted`.
    case execution
    /// Branch `index` of a Parallel state: no events of its own.
    case parallelBranch(index: Int)
    /// Iteration `index` of the inline Map state `mapState`: `MapIterationStarted` … `MapIterationSucceeded`/…
    case mapIteration(index: Int, mapState: String)
    /// Item `index` of a `DISTRIBUTED` Map: a child execution whose events do not go in the parent's history.
    case distributedItem(index: Int, mapState: String)
}

/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, Hashable {
    case created = "CREATED"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case timedOut = "TIMED_OUT"
    case aborted = "ABORTED"
}

/// What the driver supplies with every event: the state machine and the execution's context.
public struct RunEnvironment: Sendable {
    /// The state machine.
    public var machine: StateMachine
    /// The execution's context values.
    public var execution: ExecutionContext
    /// The largest state output, in bytes of JSON text, before `States.DataLimitExceeded` (`nil` = no limit).
    public var payloadSizeLimit: Int?
    /// Secret random text the driver supplies (from a secure source) to begin every `$$.Task.Token`, so
    /// tokens cannot be guessed from the seeded random; `nil` makes tokens from the seeded random alone.
    public var taskTokenNonce: String?

    public init(machine: StateMachine, execution: ExecutionContext, payloadSizeLimit: Int? = nil, taskTokenNonce: String? = nil) {
        self.machine = machine
        self.execution = execution
        self.payloadSizeLimit = payloadSizeLimit
        self.taskTokenNonce = taskTokenNonce
    }
}

/// One run: its position in its block and what it waits for.
public struct Run: Sendable, Codable {
    /// What the run is waiting for.
    public enum Phase: Sendable, Codable, Hashable {
        case created
        case awaitingTask(id: Int)
        case waiting(timerId: Int)
        case retryBackoff(timerId: Int)
        case awaitingChildren
        case finished
    }

    /// The block of states it runs.
    public let block: BlockReference
    /// What it is.
    public let kind: RunKind
    /// Its input.
    @JSONCoded public var input: JSON
    /// Where the run stands.
    public internal(set) var status: RunStatus = .created
    /// What it waits for.
    public internal(set) var phase: Phase = .created
    /// The current state's name.
    public internal(set) var stateName: String = ""
    /// The current state's raw input.
    @JSONCoded public internal(set) var stateInput: JSON = .null
    /// The current state's input after `InputPath` (and for Wait/Choice, what `OutputPath` applies to).
    @JSONCoded public internal(set) var effectiveInput: JSON = .null
    /// When the current state was entered.
    public internal(set) var enteredTime: Date = Date(timeIntervalSince1970: 0)
    /// The id of the current state's `…StateEntered` event.
    public internal(set) var enteredEventId: Int = 0
    /// Retries made by each retrier of the current state.
    public internal(set) var retryCounts: [Int] = []
    /// Retries made in the current state (`$$.State.RetryCount`).
    public internal(set) var stateRetryCount: Int = 0
    /// The id of the last event this run appended (the next one's `previousEventId`).
    public internal(set) var lastEventId: Int
    /// The next action id (tasks and timers); 0 is the execution timeout timer.
    public internal(set) var nextActionId: Int = 1
    /// The task in flight, for the events of its result.
    public internal(set) var pendingTask: TaskRequest?
    /// The workflow variables the run sees (`$name`): those it started with (a copy of the outer run's, for a
    /// Map iteration or Parallel branch) and its own assignments. See Variables.swift.
    public internal(set) var variables: JSONObject {
        get { storedVariables?.objectValue ?? ExpressionScope.noVariables }
        set { storedVariables = newValue.isEmpty ? nil : .object(newValue) }
    }
    /// `variables` as stored (absent in runs encoded before variables existed, and when there are none).
    @OptionalJSONCoded var storedVariables: JSON? = nil

    /// The timer id of the execution-level `TimeoutSeconds`.
    public static let executionTimeoutTimerId = 0

    /// A run of `block` with `input`; `previousEventId` is the event its first event follows from
    /// (0 for an execution; the Map/Parallel state's started event for children); `variables` are the
    /// workflow variables it starts with (`ChildRunsRequest.variables` for children).
    public init(block: BlockReference, kind: RunKind, input: JSON, previousEventId: Int = 0, variables: JSONObject = ExpressionScope.noVariables) {
        self.block = block
        self.kind = kind
        self.input = input
        self.lastEventId = previousEventId
        self.variables = variables
    }

    /// A child run for child `index` of a `startChildren` request.
    public init(child index: Int, of request: ChildRunsRequest) {
        let kind: RunKind = switch request.kind {
        case .parallelBranch: .parallelBranch(index: index)
        case .mapIteration: .mapIteration(index: index, mapState: request.stateName)
        case .distributedItem: .distributedItem(index: index, mapState: request.stateName)
        }
        self.init(block: request.block(forChild: index), kind: kind, input: request.inputs[index],
                  previousEventId: request.startedEventId, variables: request.variables)
    }

    /// Starts the run: the first events and actions. `lastEventId` is the execution's last history event
    /// id; it is advanced past the events this call appends.
    public mutating func start(in environment: RunEnvironment, now: Date, randomSeed: UInt64,
                               lastEventId: inout Int) -> [RunAction] {
        var step = Step(environment: environment, now: now, random: SeededRandom(seed: randomSeed), lastEventId: lastEventId)
        if status == .created {
            status = .running
            begin(&step)
        }
        lastEventId = step.lastEventId
        return step.actions
    }

    /// Handles one event; see `start` for `lastEventId`.
    public mutating func handle(_ event: RunEvent, in environment: RunEnvironment, now: Date, randomSeed: UInt64,
                                lastEventId: inout Int) -> [RunAction] {
        var step = Step(environment: environment, now: now, random: SeededRandom(seed: randomSeed), lastEventId: lastEventId)
        if status == .running {
            dispatch(event, &step)
        }
        lastEventId = step.lastEventId
        return step.actions
    }
}

/// The working set of one `start`/`handle` call.
struct Step {
    let environment: RunEnvironment
    let now: Date
    var random: SeededRandom
    var lastEventId: Int
    var actions: [RunAction] = []
    /// The current state's evaluated assignments, visible once it exits (see Variables.swift).
    var pendingAssignments: JSONObject?
}
