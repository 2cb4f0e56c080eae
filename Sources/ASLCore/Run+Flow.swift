// How a run moves: entering states in a loop (never recursion, so a million-state chain of Pass states runs
// in constant stack), dispatching events to the state waiting for them, error handling (Retry, then Catch,
// then failing the run), and the events at the run's start and end.

import Foundation
import BatonJSON
import ASLExpressions

/// What a state's processing leads to.
enum Flow {
    /// Enter this state with this input next.
    case goto(String, JSON)
    /// The run waits for an event (a task, a timer, children).
    case blocked
    /// The run finished.
    case done
}

extension Run {
    func currentBlock(_ step: Step) -> StatesBlock? { step.environment.machine.block(block) }

    func currentState(_ step: Step) -> State? { currentBlock(step)?.states[stateName] }

    mutating func begin(_ step: inout Step) {
        guard let states = currentBlock(step) else {
            finish(.failed(RunFailure(error: ASLErrorName.runtime.rawValue, cause: "The state machine has no block \(block)")), &step)
            return
        }
        switch kind {
        case .execution:
            let execution = step.environment.execution
            emit("ExecutionStarted", [
                "input": input, "roleArn": .string(execution.roleArn), "stateMachineArn": .string(execution.stateMachineArn),
            ], &step)
            // The machine's TimeoutSeconds bounds its top-level run only: a DISTRIBUTED Map item's child
            // execution, whose run starts at the ItemProcessor, has none (as on AWS).
            if block == .root, let seconds = step.environment.machine.timeoutSeconds {
                step.actions.append(.startTimer(id: Run.executionTimeoutTimerId,
                                                due: execution.startTime.addingTimeInterval(Double(seconds)),
                                                purpose: .executionTimeout))
            }
        case .mapIteration(let index, let mapState):
            emit("MapIterationStarted", ["name": .string(mapState), "index": .int(index)], &step)
        case .parallelBranch, .distributedItem:
            break
        }
        follow(.goto(states.startAt, input), &step)
    }

    /// Enters states until one blocks or the run finishes.
    mutating func follow(_ flow: Flow, _ step: inout Step) {
        var flow = flow
        while case .goto(let name, let input) = flow {
            flow = enter(name, input: input, &step)
        }
    }

    mutating func enter(_ name: String, input: JSON, _ step: inout Step) -> Flow {
        guard let state = currentBlock(step)?.states[name] else {
            finish(.failed(RunFailure(error: ASLErrorName.runtime.rawValue, cause: "No state named \(name)")), &step)
            return .done
        }
        stateName = name
        stateInput = input
        enteredTime = step.now
        retryCounts = []
        stateRetryCount = 0
        pendingTask = nil
        enteredEventId = emit(state.enteredEventType, stateDetails(name, input: input), &step)
        return attempt(state, &step)
    }

    /// Runs (or re-runs, after a retry back-off) the current state.
    mutating func attempt(_ state: State, _ step: inout Step) -> Flow {
        if let fields = jsonataFields(step) { return attemptJSONata(state, fields, &step) }
        switch state {
        case .pass(let s): return runPass(s, &step)
        case .succeed(let s): return runSucceed(s, &step)
        case .fail(let s): return runFail(s, &step)
        case .choice(let s): return runChoice(s, &step)
        case .wait(let s): return runWait(s, &step)
        case .task(let s): return runTask(s, &step)
        case .parallel(let s): return runParallel(s, &step)
        case .map(let s): return runMap(s, &step)
        }
    }

    mutating func dispatch(_ event: RunEvent, _ step: inout Step) {
        if case .stop(let error, let cause) = event {
            finish(.aborted(RunFailure(error: error, cause: cause)), &step)
            return
        }
        if case .timerFired(let id) = event, id == Run.executionTimeoutTimerId, kind == .execution {
            finish(.timedOut(RunFailure(error: nil, cause: nil)), &step)
            return
        }
        guard let state = currentState(step) else { return }
        let flow: Flow
        switch (event, phase, state) {
        case (.timerFired(let id), .waiting(let waiting), .wait(let s)) where id == waiting:
            flow = waitEnded(s, &step)
        case (.timerFired(let id), .retryBackoff(let waiting), _) where id == waiting:
            flow = attempt(state, &step)
        case (.taskStarted(let id), .awaitingTask(let waiting), .task) where id == waiting:
            taskStarted(&step)
            flow = .blocked
        case (.taskSucceeded(let id, let output), .awaitingTask(let waiting), .task(let s)) where id == waiting:
            flow = taskSucceeded(s, output: output, &step)
        case (.taskFailed(let id, let failure), .awaitingTask(let waiting), .task(let s)) where id == waiting:
            flow = taskFailed(s, failure: failure, &step)
        case (.childrenSucceeded(let outputs), .awaitingChildren, _):
            flow = childrenSucceeded(state, outputs: outputs, &step)
        case (.childrenFailed(let failure), .awaitingChildren, _):
            flow = childrenFailed(state, failure: failure, &step)
        default:
            return  // stale or unexpected: ignored
        }
        follow(flow, &step)
    }

    /// The state is done with this output: check its size, append `…StateExited`, go to `Next` or end the run.
    mutating func exit(_ exitedEventType: String, output: JSON, transition: Transition, retriers: [Retrier] = [],
                       catchers: [Catcher] = [], _ step: inout Step) -> Flow {
        if let limit = step.environment.payloadSizeLimit, output.exceedsSerializedSize(limit) {
            return fail(RunFailure(error: ASLErrorName.dataLimitExceeded.rawValue,
                                   cause: "The state/task '\(stateName)' returned a result with a size exceeding the maximum number of bytes service limit."),
                        retriers: retriers, catchers: catchers, &step)
        }
        let assigned = commitAssignments(&step)
        emit(exitedEventType, stateDetails(stateName, output: output, assigned: assigned), &step)
        return complete(transition, output: output, &step)
    }

    /// Goes to `Next`, or ends the run.
    mutating func complete(_ transition: Transition, output: JSON, _ step: inout Step) -> Flow {
        switch transition {
        case .next(let name): return .goto(name, output)
        case .end:
            finish(.succeeded(output), &step)
            return .done
        }
    }

    /// The current state failed: retry, catch, or fail the run.
    /// `failedEvent` (Map/Parallel's `…StateFailed`) is appended once the state gives up (not before a retry).
    mutating func fail(_ failure: RunFailure, retriers: [Retrier], catchers: [Catcher], failedEvent: (String, JSON)? = nil,
                       _ step: inout Step) -> Flow {
        step.pendingAssignments = nil  // a failed state assigns nothing (a catcher may assign its own)
        if failure.error != ASLErrorName.runtime.rawValue {
            if case .retry(let delay, let index) = retriers.outcome(for: failure.error, retryCounts: retryCounts, random: &step.random) {
                if retryCounts.count < retriers.count { retryCounts += Array(repeating: 0, count: retriers.count - retryCounts.count) }
                retryCounts[index] += 1
                stateRetryCount += 1
                let id = takeActionId()
                phase = .retryBackoff(timerId: id)
                step.actions.append(.startTimer(id: id, due: step.now.addingTimeInterval(delay), purpose: .retryBackoff))
                return .blocked
            }
            if let (type, details) = failedEvent { emit(type, details, &step) }
            if let fields = jsonataFields(step), let index = catchers.firstIndex(where: { $0.errorEquals.matches(failure.error ?? "") }) {
                return caughtJSONata(catchers[index], index: index, fields, failure: failure, &step)
            }
            if let catcher = catchers.firstMatch(for: failure.error) {
                let output: JSON
                do {
                    output = try IOPipeline.place(failure.errorOutput, at: catcher.resultPath, in: stateInput)
                } catch {
                    finish(.failed(runtimeFailure(error)), &step)
                    return .done
                }
                if let assignFailure = assignCaught(catcher, errorOutput: failure.errorOutput, &step) {
                    finish(.failed(assignFailure), &step)
                    return .done
                }
                let assigned = commitAssignments(&step)
                if let state = currentState(step) {
                    emit(state.exitedEventType, stateDetails(stateName, output: output, assigned: assigned), &step)
                }
                return .goto(catcher.next, output)
            }
        } else if let (type, details) = failedEvent {
            emit(type, details, &step)
        }
        finish(.failed(failure), &step)
        return .done
    }

    /// An expression error as the run reports it: `States.Runtime` causes name the state and its entered event.
    func runtimeFailure(_ error: ASLError) -> RunFailure {
        guard error.name == .runtime else { return RunFailure(error) }
        return RunFailure(error: error.name.rawValue, cause: runtimePrefix + error.cause)
    }

    func runtimeFailure(_ cause: String) -> RunFailure {
        RunFailure(error: ASLErrorName.runtime.rawValue, cause: runtimePrefix + cause)
    }

    var runtimePrefix: String {
        "An error occurred while executing the state '\(stateName)' (entered at the event id #\(enteredEventId)). "
    }

    mutating func finish(_ outcome: RunOutcome, _ step: inout Step) {
        switch outcome {
        case .succeeded: status = .succeeded
        case .failed: status = .failed
        case .timedOut: status = .timedOut
        case .aborted: status = .aborted
        }
        phase = .finished
        pendingTask = nil
        switch (kind, outcome) {
        case (.execution, .succeeded(let output)):
            emit("ExecutionSucceeded", ["output": output], &step)
        case (.execution, .failed(let f)):
            emit("ExecutionFailed", f.details, &step)
            if f.cause == "" {  // AWS drops an empty cause from the execution's result
                step.actions.append(.finished(.failed(RunFailure(error: f.error, cause: nil))))
                return
            }
        case (.execution, .timedOut(let f)):
            emit("ExecutionTimedOut", f.details, &step)
        case (.execution, .aborted(let f)):
            emit("ExecutionAborted", f.details, &step)
        case (.mapIteration(let index, let mapState), _):
            let type = switch outcome {
            case .succeeded: "MapIterationSucceeded"
            case .failed, .timedOut: "MapIterationFailed"
            case .aborted: "MapIterationAborted"
            }
            emit(type, ["name": .string(mapState), "index": .int(index)], &step)
        default:
            break
        }
        step.actions.append(.finished(outcome))
    }

    @discardableResult
    mutating func emit(_ type: String, _ details: JSON, _ step: inout Step) -> Int {
        if case .distributedItem = kind { return lastEventId }
        step.lastEventId += 1
        let id = step.lastEventId
        step.actions.append(.appendHistory(HistoryEvent(id: id, previousEventId: lastEventId, timestamp: step.now,
                                                        type: type, details: details)))
        lastEventId = id
        return id
    }

    mutating func takeActionId() -> Int {
        defer { nextActionId += 1 }
        return nextActionId
    }

    /// The context object for the current state.
    func context(_ step: Step, retryCount: Int? = nil, mapItem: (index: Int, value: JSON)? = nil, taskToken: String? = nil) -> JSON {
        step.environment.execution.contextObject(state: stateName, enteredTime: enteredTime, retryCount: retryCount,
                                                 mapItem: mapItem, taskToken: taskToken)
    }
}

extension RunFailure {
    /// History details `{"error", "cause"}`, absent members omitted.
    var details: JSON {
        var object = JSONObject()
        if let error { object["error"] = .string(error) }
        if let cause { object["cause"] = .string(cause) }
        return .object(object)
    }
}

extension JSON {
    /// Whether the compact JSON text of this value is longer than `limit` bytes, computed without writing it
    /// and stopping as soon as the limit is passed.
    func exceedsSerializedSize(_ limit: Int) -> Bool {
        var remaining = limit
        return !fits(&remaining)
    }

    private func fits(_ remaining: inout Int) -> Bool {
        switch self {
        case .null: remaining -= 4
        case .bool(let b): remaining -= b ? 4 : 5
        case .number: remaining -= 8
        case .string(let s): remaining -= s.utf8.count + 2
        case .array(let a):
            remaining -= 2 + a.count
            for element in a where remaining >= 0 { if !element.fits(&remaining) { return false } }
        case .object(let o):
            remaining -= 2 + o.count * 4
            for (key, value) in o where remaining >= 0 {
                remaining -= key.utf8.count
                if !value.fits(&remaining) { return false }
            }
        }
        return remaining >= 0
    }
}

/// `{"name", "input"}` / `{"name", "output"}` built directly (a dictionary literal goes through a merge).
func stateDetails(_ name: String, input: JSON) -> JSON {
    .object(JSONObject(uncheckedUniqueKeys: ["name", "input"], values: [.string(name), input]))
}

func stateDetails(_ name: String, output: JSON, assigned: JSONObject? = nil) -> JSON {
    guard let assigned else {
        return .object(JSONObject(uncheckedUniqueKeys: ["name", "output"], values: [.string(name), output]))
    }
    return .object(JSONObject(uncheckedUniqueKeys: ["name", "output", "assignedVariables"],
                              values: [.string(name), output, .object(assigned)]))
}
