// The benchmark's own reads and writes: registering its state machines, starting executions (from several
// connections at once, or paced), waiting for them, and reading timings back from the tables. Every figure
// comes from the rows the engine wrote (executions, tasks, history events), so it measures what happened in
// the database, not what a client thought.
import BatonEngine
import BatonJSON
import BatonPostgres
import Foundation

struct BenchStore: Sendable {
    let connection: PostgresConnection
    let settings: BenchSettings
    let engine = EngineConfiguration()

    /// Creates the state machine and returns its id.
    func createMachine(_ name: String, _ definition: String) async throws -> Int64 {
        try await StateMachineStore(configuration: engine).create(
            name: name, definition: try JSON(parsing: definition), on: connection).id
    }

    /// Starts `count` executions of `machine` named `prefix0`, `prefix1`, … with input `{"i": n}` from
    /// `settings.starters` connections at once; returns the seconds it took.
    func startExecutions(of machine: String, count: Int, prefix: String) async throws -> Double {
        let started = ContinuousClock.now
        let starters = max(1, min(settings.starters, count))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for starter in 0..<starters {
                group.addTask {
                    let connection = try await PostgresConnection.connect(settings.database.withApplicationName("baton-bench"))
                    do {
                        for index in stride(from: starter, to: count, by: starters) {
                            try await ExecutionStore(configuration: engine).start(
                                stateMachine: machine, input: ["i": .int(index)], name: "\(prefix)\(index)", on: connection)
                        }
                    } catch {
                        await connection.close()
                        throw error
                    }
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
        return (ContinuousClock.now - started).seconds
    }

    /// Starts one execution with `input`.
    func startExecution(of machine: String, input: JSON, name: String) async throws {
        try await ExecutionStore(configuration: engine).start(stateMachine: machine, input: input, name: name, on: connection)
    }

    /// Whether any execution of `machine` still runs. An existence check, not a count: counting 10,000
    /// running executions five times a second cost PostgreSQL 2-4 % of the machine during the drain it measures.
    func anyRunning(_ machine: Int64) async throws -> Bool {
        try await integer(
            "SELECT count(*) FROM (SELECT 1 FROM baton.executions WHERE state_machine_id = $1 AND status = 'RUNNING' LIMIT 1) AS one",
            [machine]) > 0
    }

    /// Executions of `machine` that were running at `time` (started, and not stopped by then), counted afterwards
    /// from the tables.
    func running(_ machine: Int64, at time: Date) async throws -> Int {
        try await integer("""
            SELECT count(*) FROM baton.executions
            WHERE state_machine_id = $1 AND started_at <= $2 AND (stopped_at IS NULL OR stopped_at > $2)
            """, [machine, time])
    }

    /// Waits until none of the `expected` executions of `machine` (all started already) runs, calling `sample`
    /// at each poll. One existence check per poll, five a second: the benchmark must not load what it measures.
    func waitForAll(_ machine: Int64, expected: Int, fleet: BenchFleet, sample: () -> Void = {}) async throws {
        try await waitFor("\(expected) executions to finish", timeout: settings.scenarioTimeout, poll: .milliseconds(200)) {
            try fleet.checkAlive()
            sample()
            return try await !anyRunning(machine)
        }
    }

    /// Executions of `machine` by status.
    func statuses(_ machine: Int64) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await connection.query(
            "SELECT status, count(*) FROM baton.executions WHERE state_machine_id = $1 GROUP BY status", [machine]) {
            counts[try row.decode(0, as: String.self)] = try row.decode(1, as: Int.self)
        }
        return counts
    }

    func integer(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        try await connection.query(sql, parameters).first?.decode(0, as: Int?.self) ?? 0
    }

    func number(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Double {
        try await connection.query(sql, parameters).first?.decode(0, as: Double?.self) ?? .nan
    }

    /// Best effort: a checkpoint before a measured phase (as the peer scripts do) so one phase's dirty
    /// pages are not written during the next. Needs superuser or pg_checkpoint; skipped otherwise.
    func checkpoint() async {
        _ = try? await connection.execute("CHECKPOINT")
    }

    /// Deletes the benchmark's state machines and everything that belongs to them.
    func delete(machines: [Int64]) async throws {
        let ids = "{" + machines.map(String.init).joined(separator: ",") + "}"
        try await connection.execute("DELETE FROM baton.executions WHERE state_machine_id = ANY($1::bigint[])", [ids])
        try await connection.execute("DELETE FROM baton.state_machines WHERE id = ANY($1::bigint[])", [ids])
    }

    /// The postmaster's pid when the server runs on this machine (the parent of our backend, named postgres).
    func postmasterPID() async throws -> Int32? {
        let backend = try await connection.query("SELECT pg_backend_pid()").first?.decode(0, as: Int32.self)
        guard let backend, let parent = ProcessCPU.parent(of: backend),
              let name = try? String(contentsOfFile: "/proc/\(parent)/comm", encoding: .utf8),
              name.hasPrefix("postgres") else { return nil }
        return parent
    }

    /// The server's version and the settings that decide commit cost.
    func serverSettings() async throws -> [String: String] {
        var settings: [String: String] = [:]
        for row in try await connection.query(
            "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')") {
            settings[try row.decode(0, as: String.self)] = try row.decode(1, as: String.self)
        }
        return settings
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
