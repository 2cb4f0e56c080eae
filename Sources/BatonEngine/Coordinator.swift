// The coordinator process: a swift-service-lifecycle Service that applies inbox work and fires timers.
//
// It LISTENs on the inbox channel (start-execution, worker results, stop requests) and the timer channel
// (a coordinator set a timer), and otherwise sleeps until the earliest pending timer's due time or the
// safety-net poll interval, whichever comes first. Every wake-up runs `InboxApplier.applyBatch` until a
// batch finds nothing to do. Several loops (`concurrency`) may run in one process, each on its own
// connection; several processes may run on several nodes — the row locks keep them apart. It also runs
// BatonQueue's rescuer (lost workers, task timeouts) every `rescueInterval`.
//
// Failure cases: a lost database connection fails the batch (rolled back by the server) and the loop
// retries on a fresh connection with a growing pause; a lost listener is reported and the poll covers for
// it until it reconnects (it then wakes the loop, since notifications may have been missed).
import BatonPostgres
import BatonQueue
import BatonSchema
import Foundation
import Logging
import ServiceLifecycle

/// Settings of a coordinator.
public struct CoordinatorConfiguration: Sendable {
    /// The database.
    public var database: PostgresConfiguration
    /// ARNs and the payload limit.
    public var engine: EngineConfiguration
    /// The safety-net poll: look for work at least this often even without a notification (default 2 s).
    public var pollInterval: Duration
    /// Parallel apply loops in this process, each with its own connection (default 1).
    public var concurrency: Int
    /// At most this many executions per transaction (default 32).
    public var executionsPerBatch: Int
    /// How often to run the task rescuer (default 1 s); nil disables it.
    public var rescueInterval: Duration?
    /// A worker whose registry heartbeat is older than this is lost (default 30 s).
    public var workerStaleAfter: Double
    /// Check the schema version at start (default true).
    public var verifySchema: Bool
    /// Where the coordinator logs.
    public var logger: Logger

    /// Settings with these values.
    public init(database: PostgresConfiguration, engine: EngineConfiguration = EngineConfiguration(),
                pollInterval: Duration = .seconds(2), concurrency: Int = 1, executionsPerBatch: Int = 32,
                rescueInterval: Duration? = .seconds(1), workerStaleAfter: Double = 30, verifySchema: Bool = true,
                logger: Logger = Logger(label: "baton.coordinator")) {
        self.database = database
        self.engine = engine
        self.pollInterval = pollInterval
        self.concurrency = max(1, concurrency)
        self.executionsPerBatch = executionsPerBatch
        self.rescueInterval = rescueInterval
        self.workerStaleAfter = workerStaleAfter
        self.verifySchema = verifySchema
        self.logger = logger
    }
}

/// A coordinator: applies inbox work and due timers to executions until shut down.
public final class Coordinator: Service, Sendable {
    /// Its settings.
    public let configuration: CoordinatorConfiguration
    let applier: InboxApplier
    let wake = WakeSignal()
    private let stopping = LockedFlag()

    /// A coordinator with these settings.
    public init(configuration: CoordinatorConfiguration) {
        self.configuration = configuration
        applier = InboxApplier(configuration: configuration.engine, executionsPerBatch: configuration.executionsPerBatch,
                               logger: configuration.logger)
    }

    /// Runs until graceful shutdown (SIGTERM/SIGINT through a ServiceGroup) or cancellation. The batch in
    /// progress finishes and commits; nothing is left half-done either way.
    public func run() async throws {
        let database = configuration.database.withApplicationName("baton-coordinator")
        if configuration.verifySchema {
            let connection = try await PostgresConnection.connect(database, logger: configuration.logger)
            do {
                try await SchemaCheck.verify(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
        configuration.logger.info("coordinator started", metadata: ["coordinator.concurrency": .stringConvertible(configuration.concurrency)])
        let listener = PostgresListener(configuration: database.withApplicationName("baton-coordinator-listener"),
                                        channels: [QueueChannel.inbox, CoordinatorChannel.timers], logger: configuration.logger)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.relay(listener) }
                if let interval = self.configuration.rescueInterval {
                    group.addTask { await self.rescueLoop(interval: interval, database: database) }
                }
                await withDiscardingTaskGroup { loops in
                    for _ in 0..<self.configuration.concurrency {
                        loops.addTask { await self.applyLoop(database: database) }
                    }
                }
                self.stopping.set()
                await listener.stop()
            }
        } onGracefulShutdown: {
            self.stopping.set()
            for _ in 0..<max(self.configuration.concurrency, 4) { self.wake.signal() }
        }
        configuration.logger.info("coordinator stopped")
    }

    private var shouldStop: Bool { stopping.isSet || Task.isCancelled }

    /// Seconds to wait before looking again at a due timer another transaction holds.
    static let heldTimerRecheck = 0.02

    private func relay(_ listener: PostgresListener) async {
        for await event in listener.events() {
            switch event {
            case .listening, .notification:
                wake.signal()
            case .disconnected(let error):
                configuration.logger.info("listener disconnected; polling until it reconnects", metadata: ["error": .string("\(error)")])
            }
            if shouldStop { break }
        }
    }

    private func applyLoop(database: PostgresConfiguration) async {
        var connection: PostgresConnection?
        var failures = 0
        while !shouldStop {
            do {
                if connection == nil || connection!.isBroken {
                    await connection?.close()
                    connection = try await PostgresConnection.connect(database, logger: configuration.logger)
                }
                let report = try await applier.applyBatch(on: connection!)
                failures = 0
                if report.didWork {
                    wake.signal()  // another loop may share the remaining work
                    continue
                }
                let nextDue = try await nextTimerDue(on: connection!)
                var timeout = configuration.pollInterval
                if let nextDue {
                    // A timer already due that this batch did not fire is held by another transaction (another
                    // coordinator firing it, or one that died and is being rolled back): look again shortly
                    // rather than spinning on it (which starved that very rollback on a loaded machine).
                    let seconds = max(Self.heldTimerRecheck, nextDue.timeIntervalSinceNow)
                    if seconds < 1e6 { timeout = min(timeout, .milliseconds(Int64(seconds * 1000) + 1)) }
                }
                if timeout > .zero { await wake.wait(timeout: timeout) }
            } catch {
                failures += 1
                if shouldStop { break }
                configuration.logger.warning("coordinator batch failed; retrying", metadata: ["error": .string("\(error)")])
                if connection?.isBroken ?? true {
                    await connection?.close()
                    connection = nil
                }
                let pause = min(5.0, 0.05 * pow(2.0, Double(min(failures, 8))))
                await wake.wait(timeout: .milliseconds(Int64(pause * 1000)))
            }
        }
        await connection?.close()
    }

    private func nextTimerDue(on connection: PostgresConnection) async throws -> Date? {
        try await connection.query(
            "SELECT min(due_at) FROM baton.timers WHERE status = 'pending'", [], statementName: "baton_engine_next_timer"
        ).first?.decode(0, as: Date?.self)
    }

    private func rescueLoop(interval: Duration, database: PostgresConfiguration) async {
        let rescuer = TaskRescuer(configuration: RescueConfiguration(workerStaleAfter: configuration.workerStaleAfter),
                                  logger: configuration.logger)
        var connection: PostgresConnection?
        while !shouldStop {
            do {
                if connection == nil || connection!.isBroken {
                    await connection?.close()
                    connection = try await PostgresConnection.connect(database.withApplicationName("baton-rescuer"),
                                                                      logger: configuration.logger)
                }
                var report = try await rescuer.rescue(on: connection!)
                while report.isFull && !shouldStop { report = try await rescuer.rescue(on: connection!) }
            } catch {
                if shouldStop { break }
                configuration.logger.warning("task rescue failed; retrying", metadata: ["error": .string("\(error)")])
                if connection?.isBroken ?? true {
                    await connection?.close()
                    connection = nil
                }
            }
            try? await Task.sleep(for: interval)
        }
        await connection?.close()
    }
}

/// A flag that is set once.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
