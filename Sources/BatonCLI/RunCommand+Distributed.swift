// `baton run --database URL`: the same command through the distributed engine. It registers the definition
// (a state machine named --state-machine-name; updated when it exists with another definition), starts an
// execution, waits for it and prints the same JSON as the local runner. With --embedded it also runs a
// coordinator and the --function workers (BatonWorker's exec runner) in this process.
import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonWorker
import Foundation
import Logging

extension RunCommand {
    /// Runs the execution through the engine; returns the report the local path prints.
    static func runDistributed(database: String, embedded: Bool, definition: JSON, input: JSON,
                               functions: [String: String], stateMachineName: String, executionName: String,
                               region: String, account: String, withHistory: Bool) async throws -> (JSONObject, Bool) {
        let configuration = try PostgresConfiguration(url: database)
        let engine = EngineConfiguration(region: region, account: account)
        var logger = Logger(label: "baton.run") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(configuration)
        var services: [Task<Void, Error>] = []
        defer { for service in services { service.cancel() } }
        do {
            // Register the definition and remember its version: the execution runs exactly it, even when
            // another `baton run` updates the same state machine name at the same time.
            let machines = StateMachineStore(configuration: engine)
            let version: Int64
            if let existing = try await machines.describe(stateMachineName, on: connection), existing.status == "ACTIVE" {
                if (try? JSON(parsing: existing.definition)) != definition {
                    version = try await machines.update(stateMachineName, definition: definition, on: connection).versionId
                } else {
                    version = existing.versionId
                }
            } else {
                do {
                    version = try await machines.create(name: stateMachineName, definition: definition, on: connection).versionId
                } catch let error as EngineError where error.code == .stateMachineAlreadyExists {
                    // Created by a concurrent run with another definition: add ours as a version.
                    version = try await machines.update(stateMachineName, definition: definition, on: connection).versionId
                }
            }
            if embedded {
                let coordinator = Coordinator(configuration: CoordinatorConfiguration(
                    database: configuration, engine: engine, pollInterval: .seconds(1), logger: logger))
                services.append(Task { try await coordinator.run() })
                for (name, command) in functions {
                    let worker = Worker(function: name, configuration: WorkerConfiguration(
                        database: configuration, concurrency: 4, pollInterval: .seconds(1), logger: logger),
                        exec: ExecFunction(command: command))
                    services.append(Task { try await worker.run() })
                }
            }
            let executions = ExecutionStore(configuration: engine)
            let started = try await executions.start(stateMachine: stateMachineName, input: input, name: executionName,
                                                     versionId: version, on: connection)
            var ended = started
            while ended.status == "RUNNING" {
                try await Task.sleep(for: .milliseconds(50))  // polling the row: the CLI has no LISTEN of its own
                guard let current = try await executions.describe(started.arn, on: connection) else { break }
                ended = current
            }
            var report = JSONObject()
            report["status"] = .string(ended.status)
            report["output"] = try ended.output.map { try JSON(parsing: $0) } ?? .null
            report["error"] = ended.error.map(JSON.string) ?? .null
            report["cause"] = ended.cause.map(JSON.string) ?? .null
            if withHistory {
                let events = try await HistoryStore().read(executionId: ended.id, on: connection)
                report["history"] = .array(events.map { $0.awsJSON() })
            }
            for service in services { service.cancel() }
            for service in services { _ = await service.result }
            services = []
            await connection.close()
            return (report, ended.status == "SUCCEEDED")
        } catch {
            await connection.close()
            throw error
        }
    }
}

extension RunCommand {
    /// The `--database` branch of `run()`: prints the report and exits like the local path.
    func runDistributed(database: String, definitionJSON: JSON, input: JSON, functions: [String: String]) async throws {
        let (report, succeeded): (JSONObject, Bool)
        do {
            (report, succeeded) = try await Self.runDistributed(
                database: database, embedded: embedded, definition: definitionJSON, input: input, functions: functions,
                stateMachineName: stateMachineName, executionName: name ?? UUID().uuidString.lowercased(),
                region: region, account: account, withHistory: history || events)
        } catch {
            printError("baton run: \(error)")
            throw ExitCode(2)
        }
        // The local runner's key order: status, output, error, cause, events, history.
        var printed = report
        printed["history"] = nil
        if events, case .array(let stored)? = report["history"] {
            printed["events"] = .array(stored.map { $0["type"] ?? .null })
        }
        if history { printed["history"] = report["history"] }
        print(JSON.object(printed).serialized())
        if !succeeded { throw ExitCode(1) }
    }
}
