// Group commit of task results. Finished tasks hand their outcome here and wait; one writer takes everything
// pending and records it with one statement (TaskQueue.complete(_:on:)), so under load many results share one
// round trip and one commit, while a lone result is written at once (no timer, no added latency). A task's slot
// is freed only after its result is durable. The writer runs in an unstructured task so that cancelling the
// worker never loses results it already has. Connection failures (a database restart), deadlocks,
// serialization failures and statements canceled from outside are retried for as long as the worker runs,
// since its heartbeat keeps the tasks' leases alive; only a worker shutting down gives up after a few
// attempts (the tasks stay running and the rescuer redelivers them once the worker is stopped or lost). A write the database refuses for another reason is split up, so one bad result cannot
// sink the others of its batch, and a result refused on its own fails its task with States.TaskFailed.
import BatonPostgres
import BatonQueue
import Foundation
import Logging

final class ResultFlusher: Sendable {
    private struct Pending: Sendable {
        var taskID: Int64
        var leaseToken: UUID
        var outcome: TaskOutcome
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State: Sendable {
        var pending: [Pending] = []
        var finishing = false
    }

    static let batchLimit = 500
    private let state = Locked(State())
    private let signal = WakeSignal()
    private let pool: PostgresPool
    private let queue: TaskQueue
    private let logger: Logger

    init(pool: PostgresPool, queue: TaskQueue, logger: Logger) {
        self.pool = pool
        self.queue = queue
        self.logger = logger
    }

    /// Queues a result and returns once it was written (or given up on).
    func record(taskID: Int64, leaseToken: UUID, outcome: TaskOutcome) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock {
                $0.pending.append(Pending(taskID: taskID, leaseToken: leaseToken, outcome: outcome, continuation: continuation))
            }
            signal.signal()
        }
    }

    /// Writes results until `finish()` was called and nothing is pending.
    func run() async {
        while true {
            let (batch, done) = state.withLock { state -> ([Pending], Bool) in
                let batch = Array(state.pending.prefix(Self.batchLimit))
                state.pending.removeFirst(batch.count)
                return (batch, state.finishing && state.pending.isEmpty)
            }
            if batch.isEmpty {
                if done { return }
                await signal.wait(timeout: nil)
                continue
            }
            await write(batch.map { (taskID: $0.taskID, leaseToken: $0.leaseToken, outcome: $0.outcome) })
            batch.forEach { $0.continuation.resume() }
        }
    }

    /// Lets `run()` return once everything pending is written.
    func finish() {
        state.withLock { $0.finishing = true }
        signal.signal()
    }

    private typealias Result = (taskID: Int64, leaseToken: UUID, outcome: TaskOutcome)

    private func write(_ results: [Result]) async {
        var failures = 0
        while true {
            do {
                let outcomes = try await pool.withConnection { connection in
                    try await self.queue.complete(results, on: connection)
                }
                let recorded = outcomes.filter { if case .recorded = $0 { true } else { false } }.count
                logger.debug(
                    "task results recorded",
                    metadata: ["worker.results": .stringConvertible(recorded), "worker.rejected": .stringConvertible(outcomes.count - recorded)])
                if failures > 0 { logger.info("task results recorded after the database came back") }
                return
            } catch let error as PostgresError
                        where error.isConnectionError || error.isRetryableTransactionFailure || error.kind == .queryCanceled {
                // (The writer is never cancelled itself, so a canceled statement is someone else's doing: an
                // operator's pg_cancel_backend or a statement_timeout. Writing again is the answer to both.)
                failures += 1
                // While the worker runs, its registry heartbeat keeps these tasks' leases alive, so a result
                // given up on would leave its task running for good: keep trying (the write is fenced, so a
                // lease taken over meanwhile only gets it rejected). A worker shutting down gives up after a
                // few attempts; once it is stopped (or lost), the rescuer redelivers the tasks.
                if state.withLock({ $0.finishing }) && failures >= 5 {
                    giveUp(results, error)
                    return
                }
                if failures == 1 || failures % 10 == 0 {
                    logger.warning("recording task results failed; retrying", metadata: ["error": .string("\(error)"), "worker.attempts": .stringConvertible(failures)])
                }
                try? await Task.sleep(for: min(.milliseconds(100 * failures), .seconds(2)))
            } catch {
                await refused(results, error)
                return
            }
        }
    }

    /// The database refused a write for another reason than the connection (a bug, a value it cannot store).
    /// One refused result must not sink the others of its batch, so each is written alone; a result refused on
    /// its own fails its task with States.TaskFailed saying why, rather than leaving it running for good.
    private func refused(_ results: [Result], _ error: any Error) async {
        if results.count > 1 {
            logger.warning("recording a batch of task results failed; recording them one by one", metadata: ["error": .string("\(error)")])
            for result in results { await write([result]) }
            return
        }
        guard let result = results.first else { return }
        if case .failed(QueueErrorName.taskFailed, let cause) = result.outcome, cause?.hasPrefix(Self.unrecordablePrefix) == true {
            giveUp(results, error)
            return
        }
        logger.error("the database refused a task result; failing the task instead",
                     metadata: ["error": .string("\(error)"), "task.id": .stringConvertible(result.taskID)])
        await write([(result.taskID, result.leaseToken, .failed(error: QueueErrorName.taskFailed, cause: "\(Self.unrecordablePrefix)\(error)"))])
    }

    private static let unrecordablePrefix = "The task's result could not be recorded: "

    private func giveUp(_ results: [Result], _ error: any Error) {
        logger.error(
            "could not record task results; the rescuer will redeliver the tasks",
            metadata: ["error": .string("\(error)"), "task.ids": .string(results.map { "\($0.taskID)" }.joined(separator: ","))])
    }
}
