// The rescuer as a long-running service, for processes that host it (coordinators): every `interval` it runs
// `TaskRescuer.rescue` (again at once while a pass comes back full). Several instances may run against one
// database: the rescue pass locks with SKIP LOCKED, so they share the work instead of repeating it.
import BatonPostgres
import BatonQueue
import Foundation
import Logging
import ServiceLifecycle

/// Runs `TaskRescuer.rescue` periodically until graceful shutdown.
public struct RescuerService: Service {
    /// The rescuer run each time.
    public var rescuer: TaskRescuer
    /// Where it connects.
    public var database: PostgresConfiguration
    /// Time between passes.
    public var interval: Duration

    /// A service running `rescuer` against `database` every `interval` (default 2 s).
    public init(rescuer: TaskRescuer, database: PostgresConfiguration, interval: Duration = .seconds(2)) {
        self.rescuer = rescuer
        self.database = database
        self.interval = interval
    }

    /// Rescues until graceful shutdown or cancellation; database errors are logged and retried next interval.
    public func run() async throws {
        let pool = PostgresPool(configuration: database.withApplicationName("baton-rescuer"), maximumConnections: 1, logger: rescuer.logger)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    var report = try await pool.withConnection { try await rescuer.rescue(on: $0) }
                    while report.isFull && !Task.isCancelled {
                        report = try await pool.withConnection { try await rescuer.rescue(on: $0) }
                    }
                } catch {
                    if Task.isCancelled { break }
                    rescuer.logger.warning("rescue pass failed", metadata: ["error": .string("\(error)")])
                }
                try? await Task.sleep(for: interval)
            }
        }
        await pool.close()
    }
}
