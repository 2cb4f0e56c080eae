// Applying a batch of inbox rows to ONE execution inside the coordinator's transaction.
//
// The caller holds the execution row lock (FOR NO KEY UPDATE), so everything here — the execution's
// runs, its fan-outs and items, its history ids — belongs to this transaction alone. The step works like
// the local runner's loop: a FIFO queue of "start this run" / "deliver this event to that run", each run
// fed to the pure core with `now` and a random seed, and the returned actions performed:
//   appendHistory → a history row (appended at the end, with the whole batch's, in one statement),
//   scheduleTask  → a task row (enqueued at the end, with the whole batch's, in one statement),
//   startTimer    → a timer row (inserted at the end, with a NOTIFY for the timer loops),
//   startChildren → a fan_outs row and all its items in one INSERT … SELECT; the first MaxConcurrency
//                   children start at once, in this same transaction,
//   finished      → the execution row, or the item row + fan-out counters (+ refill, + results in
//                   item order for the parent when the whole is done).
// Nothing is visible to anyone until the caller commits; a crash anywhere rolls all of it back and the
// inbox rows are claimed again.
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation
import Logging

/// One execution's working set for one coordinator transaction.
final class ExecutionStep {
    enum Work {
        case start(RunKey)
        /// `at`: the event's time when it happened earlier than its delivery (a task's claim); nil = now.
        case event(RunKey, RunEvent, at: Date? = nil)
        /// A history event the engine itself adds to a run (TaskSubmitted), numbered like the core's.
        case appendEvent(RunKey, type: String, details: JSON)
    }

    struct ItemSlot {
        var id: Int64
        var fanOutId: Int64
        var index: Int
        var status: String
        var run: Run?
        var output: String?
        var error: String?
        var cause: String?
        var dirty = false
    }

    struct FanOutSlot {
        var id: Int64
        var parent: RunKey
        var state: FanOutState
        var itemCount: Int
        var maxConcurrency: Int
        var toleratedFailureCount: Int?
        var toleratedFailurePercentage: Double?
        var running: Int
        var succeeded: Int
        var failed: Int
        var status: String
        var error: String?
        var cause: String?
        /// Refill cursor for this transaction: every `pending` item below it has been started here (its row may
        /// not say so yet). Items start lowest index first, so the next pending ones are at or above it.
        var nextIndex = 0
        var dirty = false

        var started: Int { running + succeeded + failed }
    }

    struct NewTimer {
        var item: Int64?
        var stateName: String
        var kind: String
        var due: Date
        /// What the applier needs when it fires: the core's action id (`actionId`), or for a `task_timeout`
        /// of a child wait, the child and attempt (ExecutionStep+Child.swift).
        var payload: JSONObject
        /// For a `task_timeout` timer, the attempt of the task it watches in `newTasks` (the same item and state):
        /// the task's id is known only once inserted.
        var taskAttempt: Int?
    }

    let executionId: Int64
    let connection: PostgresConnection
    var environment: RunEnvironment
    let configuration: EngineConfiguration
    /// Whether a parent execution waits for this one (`.sync`): finishing it then wakes the parent.
    let parentWaits: Bool
    let logger: Logger
    var lastEventId: Int
    /// `lastEventId` as loaded: an execution row whose id, run and status did not change is not rewritten.
    let initialLastEventId: Int
    var root: Run?
    var rootDirty = false
    var outcome: RunOutcome?
    var items: [Int64: ItemSlot] = [:]
    var fanOuts: [Int64: FanOutSlot] = [:]
    var queue: [Work] = []
    var queueHead = 0
    var history: [(event: HistoryEvent, fanOutItemId: Int64?)] = []
    var newTasks: [NewTask] = []
    var newTimers: [NewTimer] = []
    /// Tokens of `.waitForTaskToken` tasks in `newTasks`, by idempotency key (ExecutionStep+Callbacks).
    var newCallbacks: [String: NewCallback] = [:]
    var random = SystemRandomNumberGenerator()

    init(executionId: Int64, connection: PostgresConnection, environment: RunEnvironment,
         configuration: EngineConfiguration, parentWaits: Bool, lastEventId: Int, root: Run?, logger: Logger) {
        self.executionId = executionId
        self.connection = connection
        self.environment = environment
        self.configuration = configuration
        self.parentWaits = parentWaits
        self.lastEventId = lastEventId
        self.initialLastEventId = lastEventId
        self.root = root
        self.logger = logger
    }

    var isFinished: Bool { outcome != nil }

    // MARK: the loop

    func enqueue(_ work: Work) { queue.append(work) }

    /// Runs queued work until none is left (or the execution finished).
    func drain() async throws {
        while queueHead < queue.count, !isFinished {
            let work = queue[queueHead]
            queueHead += 1
            switch work {
            case .start(let key):
                try await withRun(key) { run, now, seed, lastEventId in
                    run.start(in: self.environment, now: now, randomSeed: seed, lastEventId: &lastEventId)
                }
            case .event(let key, let event, let time):
                try await deliver(event, to: key, at: time ?? Date())
            case .appendEvent(let key, let type, let details):
                if case .item(let id) = key, items[id]?.status != "running" { continue }
                lastEventId += 1
                history.append((HistoryEvent(id: lastEventId, previousEventId: lastEventId - 1, timestamp: Date(), type: type,
                                             details: details), key.itemId))
            }
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
    }

    /// Feeds `event` to the run `key` now and performs its actions.
    func deliver(_ event: RunEvent, to key: RunKey, at time: Date = Date()) async throws {
        try await withRun(key, at: time) { run, now, seed, lastEventId in
            run.handle(event, in: self.environment, now: now, randomSeed: seed, lastEventId: &lastEventId)
        }
    }

    private func withRun(_ key: RunKey, at time: Date = Date(),
                         _ body: (inout Run, Date, UInt64, inout Int) -> [RunAction]) async throws {
        guard var run = try await loadRun(key) else { return }
        // A stopped or finished item takes no more work (its queued start or events are stale), as the
        // local runner drops a stopped run.
        if case .item(let id) = key, items[id]?.status != "running" { return }
        var eventId = lastEventId
        let actions = body(&run, time, random.next(), &eventId)
        lastEventId = eventId
        storeRun(run, key)
        try await perform(actions, for: key)
    }

    // MARK: runs

    func loadRun(_ key: RunKey) async throws -> Run? {
        switch key {
        case .root:
            return root
        case .item(let id):
            if items[id] == nil { try await loadItems([id]) }
            return items[id]?.run
        }
    }

    func storeRun(_ run: Run, _ key: RunKey) {
        switch key {
        case .root:
            root = run
            rootDirty = true
        case .item(let id):
            items[id]?.run = run
            items[id]?.dirty = true
        }
    }

    /// Loads item rows (and their runs) not loaded yet.
    func loadItems(_ ids: [Int64]) async throws {
        let missing = Array(Set(ids.filter { items[$0] == nil }))
        guard !missing.isEmpty else { return }
        let rows = try await connection.query(
            """
            SELECT id, fan_out_id, item_index, status, state, output, error, cause
            FROM baton.fan_out_items WHERE id = ANY($1::bigint[]) AND execution_id = $2
            """, [Self.arrayLiteral(missing), executionId], statementName: "baton_engine_load_items")
        for row in rows {
            let state = try row.decode(4, as: String?.self)
            let slot = ItemSlot(
                id: try row.decode(0), fanOutId: try row.decode(1), index: try row.decode(2), status: try row.decode(3),
                run: try state.map { try RunCoding.decode(Run.self, from: $0) },
                output: try row.decode(5), error: try row.decode(6), cause: try row.decode(7))
            items[slot.id] = slot
        }
    }

    /// `{1,2,3}`: a bigint[] parameter as text.
    static func arrayLiteral(_ ids: [Int64]) -> String {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }

    // MARK: actions

    func perform(_ actions: [RunAction], for key: RunKey) async throws {
        for action in actions {
            switch action {
            case .appendHistory(let event):
                history.append((event, key.itemId))
            case .scheduleTask(let request):
                try await schedule(request, for: key)
            case .startTimer(let id, let due, let purpose):
                let kind = switch purpose {
                case .wait: "wait"
                case .retryBackoff: "retry"
                case .executionTimeout: "execution_timeout"
                }
                let stateName = (try await loadRun(key))?.stateName ?? ""
                newTimers.append(NewTimer(item: key.itemId, stateName: stateName, kind: kind, due: due,
                                          payload: ["actionId": .int(id)]))
            case .startChildren(let request):
                try await startChildren(request, parent: key)
            case .finished(let runOutcome):
                if case .item(let id) = key {
                    try await itemFinished(id, outcome: runOutcome)
                } else {
                    try await executionFinished(runOutcome)
                }
            }
        }
    }

    private func schedule(_ request: TaskRequest, for key: RunKey) async throws {
        if request.invocation == .startExecution {
            try await startChildExecution(request, for: key)
            return
        }
        // A redriven execution's attempts get keys of their own: the failed attempt's key must not mark the
        // work as done. A callback task's HeartbeatSeconds bounds the wait for its token, not the function's run.
        let redrives = environment.execution.redriveCount
        let idempotencyKey = redrives == 0 ? nil : NewTask.idempotencyKey(
            executionID: executionId, stateName: request.stateName, fanOutItemID: key.itemId,
            attempt: request.attempt + 1) + "/redrive-\(redrives)"
        let task = NewTask(
            executionID: executionId, fanOutItemID: key.itemId, stateName: request.stateName,
            functionName: request.functionName, resource: request.resource, input: request.input.serialized(),
            attempt: request.attempt + 1, idempotencyKey: idempotencyKey, timeoutSeconds: request.timeoutSeconds,
            heartbeatSeconds: request.taskToken == nil ? request.heartbeatSeconds : nil)
        newTasks.append(task)
        if let token = request.taskToken {
            // Its TimeoutSeconds and HeartbeatSeconds are the callback's timers (ExecutionStep+Callbacks).
            newCallbacks[task.idempotencyKey] = NewCallback(token: token, request: request)
        } else if let seconds = request.timeoutSeconds {
            // TimeoutSeconds counts from scheduling, whether or not a worker ever claims the task.
            newTimers.append(NewTimer(item: key.itemId, stateName: request.stateName, kind: "task_timeout",
                                      due: Date().addingTimeInterval(Double(seconds)), payload: [:],
                                      taskAttempt: request.attempt + 1))
        }
    }
}
