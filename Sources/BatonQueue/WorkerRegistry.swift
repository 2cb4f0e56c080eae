// Every statement on `baton.workers`: register, heartbeat, stop.
//
// The heartbeat is the liveness signal the rescuer relies on, and it also carries the leases: one statement
// updates the worker's row and pushes `lease_expires_at` of every task it holds, and returns the tasks it still
// holds. A task missing from that list was taken away (timed out, cancelled, redelivered after the worker was
// declared lost) and the worker cancels its closure. No row at all means the worker itself was declared lost.
import BatonPostgres
import Foundation
import Logging

/// One process in the registry.
public struct WorkerRegistration: Sendable, Equatable {
    /// Unique id of the process (see `WorkerRegistry.makeWorkerID`).
    public var workerID: String
    /// `worker` or `coordinator`.
    public var kind: String
    /// The functions served.
    public var functionNames: [String]
    /// Host name.
    public var host: String
    /// Process id.
    public var pid: Int32
    /// Baton version.
    public var version: String?
    /// Tasks run at once.
    public var concurrency: Int

    /// A registration with these values.
    public init(
        workerID: String, kind: String = "worker", functionNames: [String], host: String, pid: Int32,
        version: String?, concurrency: Int
    ) {
        self.workerID = workerID
        self.kind = kind
        self.functionNames = functionNames
        self.host = host
        self.pid = pid
        self.version = version
        self.concurrency = concurrency
    }
}

/// What a registry heartbeat found.
public enum WorkerHeartbeatResult: Sendable, Equatable {
    /// The worker is registered as `status` (running or stopping); it holds these tasks (id → lease token),
    /// whose leases were extended.
    case alive(status: String, leases: [Int64: UUID])
    /// The worker is not running in the registry (declared lost, or stopped): it holds nothing any more.
    case lost
}

/// The worker registry (`baton.workers`).
public struct WorkerRegistry: Sendable {
    /// Where registry events are logged.
    public var logger: Logger

    /// A registry handle; every call takes a connection.
    public init(logger: Logger = Logger(label: "baton.registry")) {
        self.logger = logger
    }

    /// A unique worker id: host, pid and a random suffix.
    public static func makeWorkerID(host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid()) -> String {
        "\(host):\(pid):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Registers (or re-registers, after being declared lost) a process as running, heartbeat now.
    public func register(_ registration: WorkerRegistration, on connection: PostgresConnection) async throws {
        // function_names is text[]: sent as a JSON array and converted in SQL (the client has no array encoder).
        let names = registration.functionNames.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        try await connection.execute(
            """
            INSERT INTO baton.workers (worker_id, kind, function_names, host, pid, version, concurrency)
            VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4, $5, $6, $7)
            ON CONFLICT (worker_id) DO UPDATE
            -- Re-registering (a worker that was declared lost and came back) starts it afresh.
            SET status = 'running', function_names = EXCLUDED.function_names, concurrency = EXCLUDED.concurrency,
                last_heartbeat_at = now(), stopped_at = NULL, tasks_in_flight = 0
            """,
            [
                registration.workerID, registration.kind, "[" + names.joined(separator: ",") + "]", registration.host,
                registration.pid, registration.version, registration.concurrency,
            ])
    }

    /// Records a heartbeat with the number of tasks in flight and extends the lease of every task the worker
    /// holds to now + `leaseSeconds`, in one statement; returns the tasks it still holds (see the file comment).
    public func heartbeat(
        workerID: String, tasksInFlight: Int, leaseSeconds: Double, on connection: PostgresConnection
    ) async throws -> WorkerHeartbeatResult {
        let rows = try await connection.query(
            """
            WITH me AS (
                UPDATE baton.workers SET last_heartbeat_at = now(), tasks_in_flight = $2
                WHERE worker_id = $1 AND status IN ('running', 'stopping')
                RETURNING status
            ), held AS (
                -- Only while registered as alive: a worker declared lost must not revive leases the rescuer is
                -- about to hand to others. Locked in id order, as the batch result statement locks them: in the
                -- index's order the two deadlocked (PostgreSQL breaks that after deadlock_timeout, 1 s, in
                -- which this worker recorded nothing).
                SELECT id FROM baton.tasks
                WHERE status = 'running' AND lease_owner = $1 AND EXISTS (SELECT 1 FROM me)
                ORDER BY id FOR UPDATE
            ), leases AS (
                UPDATE baton.tasks SET lease_expires_at = now() + $3 * interval '1 second'
                WHERE id = ANY (ARRAY(SELECT id FROM held))
                RETURNING id, lease_token
            )
            SELECT me.status, leases.id, leases.lease_token FROM me LEFT JOIN leases ON true
            """, [workerID, tasksInFlight, leaseSeconds], statementName: "baton_worker_heartbeat")
        guard let first = rows.first else { return .lost }
        var leases: [Int64: UUID] = [:]
        for row in rows {
            if let id = try row.decode("id", as: Int64?.self), let token = try row.decode("lease_token", as: UUID?.self) {
                leases[id] = token
            }
        }
        return .alive(status: try first.decode("status", as: String.self), leases: leases)
    }

    /// Marks the worker `stopping` (draining: it claims nothing new but still heartbeats).
    public func markStopping(workerID: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE baton.workers SET status = 'stopping' WHERE worker_id = $1 AND status = 'running'", [workerID])
    }

    /// Marks the worker `stopped` (clean exit). Tasks it still holds are redelivered by the next rescue pass.
    public func stop(workerID: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE baton.workers SET status = 'stopped', stopped_at = now(), tasks_in_flight = 0
            WHERE worker_id = $1 AND status IN ('running', 'stopping')
            """, [workerID])
    }
}
