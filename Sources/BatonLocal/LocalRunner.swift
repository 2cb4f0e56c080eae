// The in-process driver of ASLCore: one loop owns every run of an execution (the top-level run, Map
// iterations, Parallel branches), feeds them events, and performs their actions. Function processes and
// real-time timers run elsewhere and post their results to the loop's inbox; nothing blocks the loop.
//
// Work inside the loop goes through a FIFO queue (start this child, deliver this event), so a Map over
// 100,000 inline items or a chain of a million Pass states never recurses. With fast timers the loop
// keeps timers in a list and, whenever nothing else is in flight, jumps a virtual clock to the earliest one.

import Foundation
import BatonJSON
import ASLCore
import ASLExpressions

/// Runs one execution of a state machine in process.
public final class LocalRunner: Sendable {
    let machine: StateMachine
    let options: LocalRunOptions

    /// A runner for `machine`.
    public init(machine: StateMachine, options: LocalRunOptions) {
        self.machine = machine
        self.options = options
    }

    /// Runs an execution with `input` to its end.
    public func run(input: JSON) async -> LocalRunResult {
        let (stream, continuation) = AsyncStream<InboxMessage>.makeStream()
        var loop = ExecutionLoop(machine: machine, options: options, input: input, inbox: continuation)
        loop.startExecution()
        var iterator = stream.makeAsyncIterator()
        while true {
            loop.drain()
            if let outcome = loop.outcome {
                loop.shutDown()
                continuation.finish()
                return LocalRunResult(outcome: outcome, history: loop.history, execution: loop.environment.execution)
            }
            if loop.hasQueuedWork || loop.fireVirtualTimerIfIdle() { continue }
            if loop.isStuck { break }
            guard let message = await iterator.next() else { break }
            loop.receive(message)
        }
        return LocalRunResult(outcome: .failed(RunFailure(error: "States.Runtime", cause: "the local runner stopped unexpectedly")),
                              history: loop.history, execution: loop.environment.execution)
    }
}

/// What function processes and real timers post to the loop.
enum InboxMessage: Sendable {
    case taskDone(runId: Int, taskId: Int, RunEvent)
    case timerFired(runId: Int, timerId: Int)
}
