import BatonPostgres
import BatonQueue
import Foundation
import Logging

/// How a `Worker` runs.
public struct WorkerConfiguration: Sendable {
    /// Where the database is.
    public var database: PostgresConfiguration
    /// How many tasks run at once.
    public var concurrency: Int
    /// The safety-net poll: with free slots and no notification, look for tasks this often (a lost NOTIFY, or a
    /// task whose run_after arrived). Default 5 s.
    public var pollInterval: Duration
    /// How long a claimed task's lease lasts without a registry heartbeat (default 30 s). The rescuer treats
    /// an expired lease as a lost worker.
    public var leaseSeconds: Double
    /// How often the worker heartbeats in the registry, extending its leases and learning which tasks were
    /// taken away (default 5 s; keep it well under `leaseSeconds`).
    public var heartbeatInterval: Duration
    /// The largest result accepted, in bytes of JSON text (default 256 KiB, AWS's limit); larger results fail
    /// the task with `States.DataLimitExceeded`.
    public var payloadLimit: Int
    /// On graceful shutdown, how long running tasks may take to finish before they are cancelled and released
    /// back to the queue (default 30 s).
    public var shutdownGracePeriod: Duration
    /// A task still running this long after its claim is announced to the coordinator, which then writes its
    /// `TaskStarted` history event (stamped with the claim time) while it runs; a task finishing sooner gets
    /// that event with its result, sparing the round trip (default 50 ms).
    public var startedAnnouncementDelay: Duration = .milliseconds(50)
    /// This process's id in the registry (default: host, pid and a random suffix).
    public var workerID: String
    /// The Baton version recorded in the registry.
    public var version: String?
    /// Check the schema version at start (`SchemaCheck.verify`); on by default.
    public var verifySchema: Bool
    /// Where the worker logs (task ids as `task.id`, `execution.id`, …).
    public var logger: Logger

    /// A configuration with the defaults described on each property.
    public init(
        database: PostgresConfiguration, concurrency: Int = 1, pollInterval: Duration = .seconds(5),
        leaseSeconds: Double = 30, heartbeatInterval: Duration = .seconds(5), payloadLimit: Int = 256 * 1024,
        shutdownGracePeriod: Duration = .seconds(30), workerID: String = WorkerRegistry.makeWorkerID(),
        version: String? = nil, verifySchema: Bool = true, logger: Logger = Logger(label: "baton.worker")
    ) {
        self.database = database
        self.concurrency = max(concurrency, 1)
        self.pollInterval = pollInterval
        self.leaseSeconds = leaseSeconds
        self.heartbeatInterval = heartbeatInterval
        self.payloadLimit = payloadLimit
        self.shutdownGracePeriod = shutdownGracePeriod
        self.workerID = workerID
        self.version = version
        self.verifySchema = verifySchema
        self.logger = logger
    }
}
