// A minimal synchronous driver for the pure core, used by the tests: tasks are answered by a closure,
// timers fire in due order on a virtual clock, children run depth-first with `ChildRunsTracker`.
// It is also a check that a second driver can be written against the public API alone.

import Foundation
import BatonJSON
import ASLCore

struct TestDriver {
    typealias TaskHandler = (TaskRequest) -> RunEvent

    let machine: StateMachine
    var environment: RunEnvironment
    var now: Date
    var seed: UInt64 = 42
    var lastEventId = 0
    var history: [HistoryEvent] = []
    var tasks: [TaskRequest] = []
    var timers: [(id: Int, due: Date, purpose: TimerPurpose)] = []
    var childRequests: [ChildRunsRequest] = []
    var handler: TaskHandler
    /// Called with every run (the execution's and each child's) after each event it handled.
    var observe: ((Run) -> Void)?

    init(_ definition: JSON, input: JSON = [:], start: Date = Date(timeIntervalSince1970: 1_700_000_000),
         payloadLimit: Int? = nil, handler: @escaping TaskHandler = { .taskSucceeded(taskId: $0.id, output: $0.input) }) throws {
        machine = try StateMachine(definition: definition)
        let execution = ExecutionContext(stateMachineName: "sm", executionName: "exec", region: "eu-west-1",
                                         account: "111122223333", input: input, startTime: start)
        environment = RunEnvironment(machine: machine, execution: execution, payloadSizeLimit: payloadLimit)
        now = start
        self.handler = handler
    }

    /// Runs the execution to its end.
    mutating func run() -> RunOutcome {
        var run = Run(block: .root, kind: .execution, input: environment.execution.input)
        return drive(&run)
    }

    mutating func drive(_ run: inout Run) -> RunOutcome {
        var pending = run.start(in: environment, now: now, randomSeed: nextSeed(), lastEventId: &lastEventId)
        var runTimers: [(id: Int, due: Date)] = []
        while true {
            var events: [RunEvent] = []
            for action in pending {
                switch action {
                case .appendHistory(let event): history.append(event)
                case .finished(let outcome): return outcome
                case .scheduleTask(let request):
                    tasks.append(request)
                    events.append(.taskStarted(taskId: request.id))
                    events.append(handler(request))
                case .startTimer(let id, let due, let purpose):
                    timers.append((id, due, purpose))
                    runTimers.append((id, due))
                case .startChildren(let request):
                    childRequests.append(request)
                    events.append(runChildren(request))
                }
            }
            pending = []
            if events.isEmpty {
                guard let next = runTimers.indices.min(by: { runTimers[$0].due < runTimers[$1].due }) else {
                    return .failed(RunFailure(error: "Test.Stuck", cause: "nothing to do"))
                }
                let timer = runTimers.remove(at: next)
                if timer.due > now { now = timer.due }
                events.append(.timerFired(timerId: timer.id))
            }
            for event in events {
                pending += run.handle(event, in: environment, now: now, randomSeed: nextSeed(), lastEventId: &lastEventId)
                observe?(run)
            }
        }
    }

    mutating func runChildren(_ request: ChildRunsRequest) -> RunEvent {
        var tracker = request.makeTracker()
        var decision = tracker.start()
        var queue: [Int] = []
        while true {
            switch decision {
            case .startMore(let range): queue += range
            case .succeeded(let outputs): return .childrenSucceeded(outputs: outputs)
            case .failed(let failure): return .childrenFailed(failure)
            case .alreadyDone: break
            }
            guard !queue.isEmpty else { return .childrenFailed(RunFailure(error: "Test.Stuck", cause: nil)) }
            let index = queue.removeFirst()
            var child = Run(child: index, of: request)
            let outcome = drive(&child)
            decision = tracker.record(index: index, outcome: outcome)
        }
    }

    mutating func nextSeed() -> UInt64 {
        seed &+= 1
        return seed
    }

    var eventTypes: [String] { history.map(\.type) }
}

extension JSON {
    /// Parses JSON text in tests.
    static func parse(_ text: String) -> JSON {
        do { return try JSON(parsing: text) } catch { fatalError("bad test JSON: \(error)") }
    }
}
