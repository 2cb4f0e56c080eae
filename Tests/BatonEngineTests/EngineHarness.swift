// A migrated database per suite, coordinators and in-process workers that tests start and stop, and waiting
// for executions to end (polling with a deadline, never sleeping as synchronisation).
import ASLCore
import BatonEngine
import BatonJSON
import BatonLocal
import BatonPostgres
import BatonQueue
import BatonSchema
import BatonTestSupport
import BatonWorker
import Foundation
import Logging
import Testing

struct EngineHarness {
    let database: PostgresConfiguration
    let connection: PostgresConnection
    var engine = EngineConfiguration()

    static func make(suite: String) async throws -> EngineHarness {
        try await make(on: try await TestDatabase.create(suite: suite))
    }

    /// A harness on an existing (empty or migrated) database, which it migrates.
    static func make(on database: PostgresConfiguration) async throws -> EngineHarness {
        let connection = try await PostgresConnection.connect(database, logger: TestDatabase.logger)
        try await Migrator(logger: TestDatabase.logger).migrate(connection)
        return EngineHarness(database: database, connection: connection)
    }

    /// The same database on a new connection (after the server restarted).
    func reconnected() async throws -> EngineHarness {
        await connection.close()
        return EngineHarness(database: database, connection: try await PostgresConnection.connect(database, logger: TestDatabase.logger))
    }

    var stateMachines: StateMachineStore { StateMachineStore(configuration: engine) }
    var executions: ExecutionStore { ExecutionStore(configuration: engine) }

    /// Starts a coordinator on a task of its own; cancel the task to stop it.
    func startCoordinator(poll: Duration = .seconds(1), concurrency: Int = 1) -> Task<Void, Error> {
        let coordinator = Coordinator(configuration: CoordinatorConfiguration(
            database: database, engine: engine, pollInterval: poll, concurrency: concurrency,
            rescueInterval: .milliseconds(500), logger: TestDatabase.logger))
        return Task { try await coordinator.run() }
    }

    /// Starts an in-process worker serving `function` with `handler`.
    func startWorker(_ function: String, concurrency: Int = 4,
                     _ handler: @escaping Worker.JSONHandler) -> Task<Void, Error> {
        let worker = Worker(function: function, configuration: WorkerConfiguration(
            database: database, concurrency: concurrency, pollInterval: .seconds(1), logger: TestDatabase.logger),
            jsonHandler: handler)
        return Task { try await worker.run() }
    }

    func createMachine(_ name: String, _ definition: String) async throws {
        try await stateMachines.create(name: name, definition: try JSON(parsing: definition), on: connection)
    }

    /// Waits until the execution is no longer RUNNING and returns it.
    func waitForEnd(_ arn: String, timeout: Duration = .seconds(60)) async throws -> ExecutionDescription {
        var result: ExecutionDescription?
        try await waitUntil("execution \(arn) to finish", timeout: timeout, poll: .milliseconds(25)) {
            result = try await executions.describe(arn, on: connection)
            return result.map { $0.status != "RUNNING" } ?? false
        }
        return result!
    }

    func historyTypes(_ arn: String) async throws -> [String] {
        guard let execution = try await executions.describe(arn, on: connection) else { return [] }
        return try await HistoryStore().read(executionId: execution.id, on: connection).map(\.type)
    }

    /// Expects execution `arn` (named `x`, of state machine `name`) to have ended as the local runner ends
    /// `definition` on `input`: the same status, output or error and cause, and the same history event types
    /// (as a multiset: items may interleave differently).
    func expectLocalRunnerParity(_ name: String, definition: String, input: String, arn: String) async throws {
        let ended = try await waitForEnd(arn)
        let local = await LocalRunner(
            machine: try StateMachine(definition: try JSON(parsing: definition)),
            options: LocalRunOptions(fastTimers: true, stateMachineName: name, executionName: "x", keepHistory: true)
        ).run(input: try JSON(parsing: input))
        #expect(ended.status == local.outcome.status, "\(name)")
        switch local.outcome {
        case .succeeded(let output):
            #expect(ended.output == output.serialized(), "\(name)")
        case .failed(let f), .timedOut(let f), .aborted(let f):
            #expect(ended.error == f.error && ended.cause == f.cause, "\(name)")
        }
        #expect(try await historyTypes(arn).sorted() == local.history.map { $0.type }.sorted(), "\(name)")
    }

    func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        try await connection.query(sql, parameters).first!.decode(0, as: Int.self)
    }
}

/// Stops a service task and waits for it to end.
func stop(_ task: Task<Void, Error>) async {
    task.cancel()
    _ = await task.result
}
