// The state of one local execution: every live run, the children groups of Map and Parallel states,
// the work queue, the timers, the function processes in flight, and the history.

import Foundation
import BatonJSON
import BatonFunctions
import ASLCore
import ASLExpressions

struct ExecutionLoop {
    enum Work {
        case start(runId: Int)
        case event(runId: Int, RunEvent)
    }

    struct RunSlot {
        var run: Run
        /// The group (and index in it) this run is a child of.
        var parent: (group: Int, index: Int)?
        /// The children group the run waits for.
        var childGroup: Int?
        /// Function processes in flight, by task id.
        var processes: [Int: Subprocess] = [:]
    }

    struct ChildGroup {
        var parentRunId: Int
        var request: ChildRunsRequest
        var tracker: ChildRunsTracker
        /// Child index → run id, for the children still running.
        var running: [Int: Int] = [:]
    }

    struct PendingTask {
        var runId: Int
        var request: TaskRequest
    }

    let machine: StateMachine
    let options: LocalRunOptions
    var environment: RunEnvironment
    let inbox: AsyncStream<InboxMessage>.Continuation

    var runs: [Int: RunSlot] = [:]
    var groups: [Int: ChildGroup] = [:]
    var queue: [Work] = []
    var queueHead = 0
    var nextId = 1
    let rootRunId = 0
    var lastEventId = 0
    var history: [HistoryEvent] = []
    var outcome: RunOutcome?
    var random: SeededRandom
    var clockOffset: TimeInterval = 0
    var virtualTimers: [(due: Date, runId: Int, timerId: Int)] = []
    var realTimersInFlight = 0
    var processesInFlight = 0
    var pendingTasks: [PendingTask] = []
    var pendingHead = 0

    init(machine: StateMachine, options: LocalRunOptions, input: JSON, inbox: AsyncStream<InboxMessage>.Continuation) {
        self.machine = machine
        self.options = options
        self.inbox = inbox
        var system = SystemRandomNumberGenerator()
        random = SeededRandom(seed: options.randomSeed ?? system.next())
        let execution = ExecutionContext(stateMachineName: options.stateMachineName, executionName: options.executionName,
                                         region: options.region, account: options.account, input: input, startTime: Date(),
                                         expressId: options.stateMachineType == "EXPRESS" ? UUID().uuidString.lowercased() : nil)
        environment = RunEnvironment(machine: machine, execution: execution, payloadSizeLimit: options.payloadSizeLimit)
    }

    func now() -> Date { Date().addingTimeInterval(clockOffset) }

    mutating func startExecution() {
        runs[rootRunId] = RunSlot(run: Run(block: .root, kind: .execution, input: environment.execution.input))
        enqueue(.start(runId: rootRunId))
    }

    mutating func enqueue(_ work: Work) { queue.append(work) }

    /// Processes queued work until none is left.
    mutating func drain() {
        while queueHead < queue.count, outcome == nil {
            let work = queue[queueHead]
            queueHead += 1
            if queueHead > 1024, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            switch work {
            case .start(let runId):
                guard var slot = runs[runId] else { continue }
                let actions = slot.run.start(in: environment, now: now(), randomSeed: random.next(), lastEventId: &lastEventId)
                runs[runId] = slot
                perform(actions, for: runId)
            case .event(let runId, let event):
                deliver(event, to: runId)
            }
        }
        spawnPendingTasks()
    }

    mutating func deliver(_ event: RunEvent, to runId: Int) {
        guard var slot = runs[runId] else { return }
        let actions = slot.run.handle(event, in: environment, now: now(), randomSeed: random.next(), lastEventId: &lastEventId)
        runs[runId] = slot
        perform(actions, for: runId)
    }

    mutating func perform(_ actions: [RunAction], for runId: Int) {
        for action in actions {
            switch action {
            case .appendHistory(let event):
                if options.keepHistory { history.append(event) }
            case .scheduleTask(let request):
                pendingTasks.append(PendingTask(runId: runId, request: request))
            case .startTimer(let id, let due, _):
                startTimer(id: id, due: due, runId: runId)
            case .startChildren(let request):
                startChildren(request, parent: runId)
            case .finished(let runOutcome):
                finished(runId: runId, outcome: runOutcome)
            }
        }
    }

    mutating func startTimer(id: Int, due: Date, runId: Int) {
        if options.fastTimers {
            virtualTimers.append((due, runId, id))
            return
        }
        realTimersInFlight += 1
        let delay = max(0, due.timeIntervalSince(now()))
        let inbox = self.inbox
        Task.detached {
            try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            inbox.yield(.timerFired(runId: runId, timerId: id))
        }
    }

    mutating func startChildren(_ request: ChildRunsRequest, parent: Int) {
        let groupId = nextId
        nextId += 1
        var group = ChildGroup(parentRunId: parent, request: request, tracker: request.makeTracker())
        let decision = group.tracker.start()
        groups[groupId] = group
        runs[parent]?.childGroup = groupId
        apply(decision, group: groupId)
    }

    // Groups are mutated in place (`groups[id]?.…`): copying one out and back would copy its 100,000-entry
    // tables on every child result.
    mutating func apply(_ decision: ChildRunsTracker.Decision, group groupId: Int) {
        guard let group = groups[groupId] else { return }
        switch decision {
        case .startMore(let range):
            for index in range {
                let runId = nextId
                nextId += 1
                runs[runId] = RunSlot(run: Run(child: index, of: group.request), parent: (groupId, index))
                groups[groupId]?.running[index] = runId
                enqueue(.start(runId: runId))
            }
        case .succeeded(let outputs):
            groups[groupId] = nil
            runs[group.parentRunId]?.childGroup = nil
            enqueue(.event(runId: group.parentRunId, .childrenSucceeded(outputs: outputs)))
        case .failed(let failure):
            groups[groupId] = nil
            runs[group.parentRunId]?.childGroup = nil
            for (_, child) in group.running.sorted(by: { $0.key < $1.key }) { stop(runId: child) }
            enqueue(.event(runId: group.parentRunId, .childrenFailed(failure)))
        case .alreadyDone:
            break
        }
    }

    /// Stops a run and, first, everything running under it.
    mutating func stop(runId: Int) {
        guard let slot = runs[runId] else { return }
        if let groupId = slot.childGroup, let group = groups[groupId] {
            groups[groupId] = nil
            for (_, child) in group.running.sorted(by: { $0.key < $1.key }) { stop(runId: child) }
        }
        for process in slot.processes.values { process.kill() }
        deliver(.stop(error: nil, cause: nil), to: runId)
        runs[runId] = nil
    }

    mutating func finished(runId: Int, outcome runOutcome: RunOutcome) {
        guard let slot = runs[runId] else { return }
        runs[runId] = nil
        if runId == rootRunId {
            outcome = runOutcome
            return
        }
        guard let (groupId, index) = slot.parent, groups[groupId] != nil else { return }
        groups[groupId]?.running[index] = nil
        guard let decision = groups[groupId]?.tracker.record(index: index, outcome: runOutcome) else { return }
        apply(decision, group: groupId)
    }

    /// With fast timers: when nothing else can happen, jump the clock to the earliest timer and fire it.
    mutating func fireVirtualTimerIfIdle() -> Bool {
        guard options.fastTimers, processesInFlight == 0, pendingHead >= pendingTasks.count, queueHead >= queue.count,
              !virtualTimers.isEmpty else { return false }
        var earliest = 0
        for i in virtualTimers.indices where virtualTimers[i].due < virtualTimers[earliest].due { earliest = i }
        let timer = virtualTimers.remove(at: earliest)
        let current = now()
        if timer.due > current { clockOffset += timer.due.timeIntervalSince(current) }
        enqueue(.event(runId: timer.runId, .timerFired(timerId: timer.timerId)))
        return true
    }

    /// Whether work is waiting in the queue.
    var hasQueuedWork: Bool { queueHead < queue.count }

    /// Whether nothing is queued or in flight while the execution has not finished.
    var isStuck: Bool {
        outcome == nil && processesInFlight == 0 && realTimersInFlight == 0 && queueHead >= queue.count && virtualTimers.isEmpty
    }

    mutating func receive(_ message: InboxMessage) {
        switch message {
        case .taskDone(let runId, let taskId, let event):
            processesInFlight -= 1
            runs[runId]?.processes[taskId] = nil
            enqueue(.event(runId: runId, event))
        case .timerFired(let runId, let timerId):
            realTimersInFlight -= 1
            enqueue(.event(runId: runId, .timerFired(timerId: timerId)))
        }
    }

    /// Kills whatever still runs when the execution is over.
    mutating func shutDown() {
        for slot in runs.values { for process in slot.processes.values { process.kill() } }
    }
}
