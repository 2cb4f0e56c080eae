// The worker loop. Three kinds of child tasks in one task group:
// - the dispatcher (the group body): while slots are free, claims up to that many tasks in one statement and
//   starts each; when the queue had fewer than that, it sleeps until woken — by a NOTIFY on `baton_tasks` with
//   its function name, by the listener (re)connecting (notifications may have been lost), by a finished task
//   freeing a slot, by shutdown — or until the safety-net poll interval passes. Nothing busy-polls.
// - the listener relay, the registry heartbeat and the announcer of tasks still running a moment after their
//   claim (WorkerRuntime+Announcer.swift). The heartbeat extends the leases of all running tasks and
//   returns the ones still held; a running task missing from it was taken away (timed out by the rescuer,
//   cancelled, redelivered), so its closure is cancelled and its result dropped.
// - one TaskRunner per running task (TaskRunner.swift).
// Graceful shutdown: stop claiming, mark the worker `stopping`, let running tasks finish within the grace
// period, then cancel the rest and release them to the queue (not counted as deliveries), mark `stopped`.
// All database work goes through a small PostgresPool whose connections run libpq on their own threads.
import BatonPostgres
import BatonQueue
import BatonSchema
import Foundation
import Logging
import ServiceLifecycle

/// Why the worker stopped a running task's closure.
enum StopReason: Sendable, Equatable {
    /// The task is no longer ours (timed out by the rescuer, cancelled, redelivered): drop its result.
    case leaseLost
    /// The worker is shutting down: release the task unless it finished anyway.
    case shutdown
    /// A local deadline passed; the failure (`errorName`) was reported already.
    case timedOut(errorName: String)
}

/// One running task as the runtime tracks it.
struct InFlightEntry: Sendable {
    var task: ClaimedTask
    /// Claim sequence number, to tell tasks claimed before a registry heartbeat from later ones.
    var generation: UInt64
    var runner: Task<String, any Error>?
    var stopReason: StopReason?
    var timeoutDeadline: ContinuousClock.Instant?
    var heartbeatDeadline: ContinuousClock.Instant?
    /// When it was claimed, and whether its start was announced (WorkerRuntime+Announcer.swift).
    var claimedAt: ContinuousClock.Instant
    var announced = false
}

final class WorkerRuntime: Sendable {
    struct State: Sendable {
        var inFlight: [Int64: InFlightEntry] = [:]
        var generation: UInt64 = 0
        var shuttingDown = false
        var finished = false
    }

    let worker: Worker
    let configuration: WorkerConfiguration
    let queue: TaskQueue
    let registry: WorkerRegistry
    let pool: PostgresPool
    let flusher: ResultFlusher
    let logger: Logger
    let state = Locked(State())
    /// Wakes the dispatcher (and the drain): a notification, a freed slot, shutdown.
    let wake = WakeSignal()
    /// Wakes the heartbeat loop early (at the end).
    let heartbeatWake = WakeSignal()
    /// Wakes the announcer: tasks were claimed (or the end).
    let announcerWake = WakeSignal()

    init(worker: Worker) {
        self.worker = worker
        self.configuration = worker.configuration
        var logger = worker.configuration.logger
        logger[metadataKey: "worker.id"] = .string(worker.configuration.workerID)
        logger[metadataKey: "task.function"] = .string(worker.functionName)
        self.logger = logger
        self.queue = TaskQueue(logger: logger)
        self.registry = WorkerRegistry(logger: logger)
        self.pool = PostgresPool(
            configuration: worker.configuration.database.withApplicationName("baton-worker"),
            maximumConnections: min(worker.configuration.concurrency, 8) + 2, logger: logger)
        self.flusher = ResultFlusher(pool: pool, queue: queue, logger: logger)
    }

    var functionName: String { worker.functionName }

    func run() async throws {
        let registration = WorkerRegistration(
            workerID: configuration.workerID, functionNames: [functionName], host: ProcessInfo.processInfo.hostName,
            pid: getpid(), version: configuration.version, concurrency: configuration.concurrency)
        do {
            try await pool.withConnection { connection in
                if self.configuration.verifySchema { try await SchemaCheck.verify(connection) }
                try await self.registry.register(registration, on: connection)
            }
        } catch {
            await pool.close()
            throw error
        }
        logger.info("worker started", metadata: ["worker.concurrency": .stringConvertible(configuration.concurrency)])
        let listener = PostgresListener(
            configuration: configuration.database.withApplicationName("baton-worker-listener"),
            channels: [QueueChannel.tasks], logger: logger)
        // Unstructured on purpose: cancelling the worker must not cancel writing the results it already has.
        let flushing = Task { await self.flusher.run() }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.relay(listener) }
                group.addTask { await self.heartbeatLoop(registration) }
                group.addTask { await self.announceLoop() }
                await self.dispatch(&group)
                // Draining must not be cut short by the cancellation that may have ended dispatching.
                await Task { await self.drain() }.value
                self.state.withLock { $0.finished = true }
                self.heartbeatWake.signal()
                self.announcerWake.signal()
                await listener.stop()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.shuttingDown = true }
            self.wake.signal()
        }
        flusher.finish()
        await flushing.value
        await Task {
            do {
                try await self.pool.withConnection { try await self.registry.stop(workerID: self.configuration.workerID, on: $0) }
            } catch {
                self.logger.warning("could not mark the worker stopped", metadata: ["error": .string("\(error)")])
            }
            await self.pool.close()
        }.value
        logger.info("worker stopped")
    }

    // MARK: dispatching

    private func dispatch(_ group: inout DiscardingTaskGroup) async {
        var failures = 0
        while !Task.isCancelled && !state.withLock({ $0.shuttingDown }) {
            let free = configuration.concurrency - state.withLock { $0.inFlight.count }
            guard free > 0 else {
                await wake.wait(timeout: nil)
                continue
            }
            let claimed: [ClaimedTask]
            do {
                claimed = try await pool.withConnection { connection in
                    try await self.queue.claim(
                        functionName: self.functionName, workerID: self.configuration.workerID, limit: free,
                        leaseSeconds: self.configuration.leaseSeconds, on: connection)
                }
                failures = 0
            } catch {
                if Task.isCancelled { break }
                failures += 1
                logger.warning("claiming tasks failed", metadata: ["error": .string("\(error)")])
                // Back off on database trouble (growing to the poll interval), not on notifications.
                try? await Task.sleep(for: min(.milliseconds(100) * (1 << min(failures, 6)), configuration.pollInterval))
                continue
            }
            for task in claimed {
                let now = ContinuousClock.now
                state.withLock { state in
                    state.generation += 1
                    state.inFlight[task.id] = InFlightEntry(
                        task: task, generation: state.generation, runner: nil, stopReason: nil,
                        timeoutDeadline: task.timeoutSeconds.map { now + .seconds($0) },
                        heartbeatDeadline: task.heartbeatSeconds.map { now + .seconds($0) }, claimedAt: now)
                }
                logger.debug(
                    "claimed task",
                    metadata: ["task.id": .stringConvertible(task.id), "execution.id": .stringConvertible(task.executionID)])
                group.addTask { await TaskRunner(runtime: self, task: task).run() }
            }
            if !claimed.isEmpty { announcerWake.signal() }
            if claimed.count < free {
                await wake.wait(timeout: configuration.pollInterval)
            }
        }
    }

    private func drain() async {
        if state.withLock({ !$0.inFlight.isEmpty }) {
            try? await pool.withConnection { try await self.registry.markStopping(workerID: self.configuration.workerID, on: $0) }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.shutdownGracePeriod
        while state.withLock({ !$0.inFlight.isEmpty }) && clock.now < deadline {
            await wake.wait(timeout: deadline - clock.now)
        }
        let remaining = stopAll(.shutdown)
        if remaining > 0 {
            logger.info("cancelling running tasks to release them", metadata: ["worker.tasks": .stringConvertible(remaining)])
        }
        while state.withLock({ !$0.inFlight.isEmpty }) {
            await wake.wait(timeout: .seconds(1))
        }
    }

    // MARK: in-flight bookkeeping

    /// Sets the stop reason of a running task (the first one wins) and cancels its closure.
    @discardableResult
    func stop(_ taskID: Int64, _ reason: StopReason) -> Bool {
        let runner = state.withLock { state -> Task<String, any Error>?? in
            guard var entry = state.inFlight[taskID], entry.stopReason == nil else { return nil }
            entry.stopReason = reason
            state.inFlight[taskID] = entry
            return .some(entry.runner)
        }
        guard let runner else { return false }
        runner?.cancel()
        return true
    }

    /// Stops every running task; returns how many were stopped.
    @discardableResult
    func stopAll(_ reason: StopReason) -> Int {
        let ids = state.withLock { Array($0.inFlight.keys) }
        return ids.filter { stop($0, reason) }.count
    }

    func entry(_ taskID: Int64) -> InFlightEntry? {
        state.withLock { $0.inFlight[taskID] }
    }

    func finished(_ taskID: Int64) {
        state.withLock { _ = $0.inFlight.removeValue(forKey: taskID) }
        wake.signal()
    }

    // MARK: listener and registry heartbeat

    private func relay(_ listener: PostgresListener) async {
        for await event in listener.events() {
            switch event {
            case .listening:
                wake.signal()  // (re)connected: notifications may have been missed, look now
            case .notification(_, let payload):
                if payload == functionName { wake.signal() }
            case .disconnected(let error):
                logger.info("listener disconnected; polling until it reconnects", metadata: ["error": .string("\(error)")])
            }
        }
    }

    private func heartbeatLoop(_ registration: WorkerRegistration) async {
        // Cancelled (not a graceful shutdown): stop at once; the drain releases the tasks.
        while !state.withLock({ $0.finished }) && !Task.isCancelled {
            await heartbeatWake.wait(timeout: configuration.heartbeatInterval)
            if state.withLock({ $0.finished }) { break }
            let (count, generation) = state.withLock { ($0.inFlight.count, $0.generation) }
            do {
                let result = try await pool.withConnection { connection in
                    try await self.registry.heartbeat(
                        workerID: self.configuration.workerID, tasksInFlight: count,
                        leaseSeconds: self.configuration.leaseSeconds, on: connection)
                }
                switch result {
                case .alive(_, let leases):
                    let lost = state.withLock { state in
                        state.inFlight.values.filter { $0.generation <= generation && leases[$0.task.id] != $0.task.leaseToken }
                            .map(\.task.id)
                    }
                    for id in lost where stop(id, .leaseLost) {
                        logger.info("task taken away (timed out, stopped or redelivered); cancelling it", metadata: ["task.id": .stringConvertible(id)])
                    }
                case .lost:
                    logger.warning("this worker was declared lost; cancelling its tasks and registering again")
                    stopAll(.leaseLost)
                    try await pool.withConnection { try await self.registry.register(registration, on: $0) }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("registry heartbeat failed", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
