// Redrive (RedriveExecution): a run that ended FAILED, TIMED_OUT or ABORTED continues from the state it ended
// in, with that state's input, keeping everything before it. The execution run appends `ExecutionRedriven`
// first and starts its `TimeoutSeconds` afresh. A Map or Parallel state whose children the driver keeps can
// be resumed instead of re-entered: the run then only waits for the children, and the driver restarts the
// failed or aborted ones (each child run is redriven the same way) and reports as usual.

import Foundation
import BatonJSON
import ASLExpressions

extension Run {
    /// Whether the run ended in a way that can be redriven (failed, timed out or aborted).
    public var isRedrivable: Bool { status == .failed || status == .timedOut || status == .aborted }

    /// Restarts a redrivable run (else does nothing). `redriveCount` is the execution's count after this redrive
    /// (the `ExecutionRedriven` event's); `resumeChildren` says the current state is a Map or Parallel whose
    /// children the driver restarts itself. See `start` for `lastEventId`.
    public mutating func redrive(in environment: RunEnvironment, now: Date, randomSeed: UInt64, lastEventId: inout Int,
                                 redriveCount: Int, resumeChildren: Bool) -> [RunAction] {
        var step = Step(environment: environment, now: now, random: SeededRandom(seed: randomSeed), lastEventId: lastEventId)
        guard isRedrivable else { return [] }
        status = .running
        phase = .created
        if kind == .execution {
            emit("ExecutionRedriven", ["redriveCount": .int(redriveCount)], &step)
            if block == .root, let seconds = environment.machine.timeoutSeconds {  // (as in `start`)
                step.actions.append(.startTimer(id: Run.executionTimeoutTimerId, due: now.addingTimeInterval(Double(seconds)),
                                                purpose: .executionTimeout))
            }
        }
        if resumeChildren, let state = currentState(step), state.isFanOut {
            phase = .awaitingChildren
        } else if stateName.isEmpty, let block = currentBlock(step) {
            follow(.goto(block.startAt, input), &step)  // it ended before entering any state
        } else {
            follow(.goto(stateName, stateInput), &step)
        }
        lastEventId = step.lastEventId
        return step.actions
    }
}

extension State {
    /// Map and Parallel: the states whose children a driver may resume on redrive.
    var isFanOut: Bool {
        switch self {
        case .map, .parallel: true
        default: false
        }
    }
}
