// The worker runtime's public face: a function name, a closure, a configuration; a swift-service-lifecycle
// `Service`. The machinery is in WorkerRuntime.swift (claiming, leases, shutdown) and TaskRunner.swift (one task).
//
//     let worker = Worker(function: "charge", configuration: configuration) { (order: Order, context) in
//         try await payments.charge(order, idempotencyKey: context.idempotencyKey)
//     }
//     try await ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation
import Logging
import ServiceLifecycle

/// Serves one function: claims its tasks from the queue, runs them with bounded concurrency and reports each
/// result. Run it in a `ServiceGroup`; graceful shutdown (SIGTERM) lets running tasks finish within
/// `shutdownGracePeriod`, then cancels and releases the rest, and marks the worker stopped.
public final class Worker: Service, Sendable {
    /// A function over exact JSON text: returns the result as JSON text (checked; invalid JSON fails the task).
    public typealias TextHandler = @Sendable (_ input: String, _ context: TaskContext) async throws -> String
    /// A function over JSON values.
    public typealias JSONHandler = @Sendable (_ input: JSON, _ context: TaskContext) async throws -> JSON

    /// The function served.
    public let functionName: String
    /// The configuration.
    public let configuration: WorkerConfiguration
    let handler: TextHandler
    let checksOutput: Bool

    /// A worker whose function takes and returns JSON text. The output is checked to be JSON unless
    /// `outputIsValidated` (the handler guarantees it).
    public init(
        function: String, configuration: WorkerConfiguration, outputIsValidated: Bool = false,
        textHandler: @escaping TextHandler
    ) {
        self.functionName = function
        self.configuration = configuration
        self.handler = textHandler
        self.checksOutput = !outputIsValidated
    }

    /// A worker whose function takes and returns `JSON` values.
    public convenience init(function: String, configuration: WorkerConfiguration, jsonHandler: @escaping JSONHandler) {
        self.init(function: function, configuration: configuration, outputIsValidated: true) { text, context in
            let input = try Worker.parseInput(text)
            return try await jsonHandler(input, context).serialized()
        }
    }

    /// A worker whose function takes a `Decodable` input and returns an `Encodable` output (both through JSON).
    /// An input that does not decode fails the task with the error named `DecodingError`.
    public convenience init<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        function: String, configuration: WorkerConfiguration, handler: @escaping @Sendable (Input, TaskContext) async throws -> Output
    ) {
        self.init(function: function, configuration: configuration, outputIsValidated: true) { text, context in
            let input = try Worker.parseInput(text).decode(Input.self)
            return try JSON(encoding: try await handler(input, context)).serialized()
        }
    }

    /// This worker's id in `baton.workers`.
    public var workerID: String { configuration.workerID }

    /// Runs until graceful shutdown (or cancellation): verifies the schema, registers, then claims and runs
    /// tasks until told to stop. Throws when the database cannot be reached at start or the schema is wrong.
    public func run() async throws {
        let runtime = WorkerRuntime(worker: self)
        try await runtime.run()
    }

    static func parseInput(_ text: String) throws -> JSON {
        do {
            return try JSON(parsing: text)
        } catch {
            throw TaskFailure("States.Runtime", cause: "the task input is not valid JSON: \(error)")
        }
    }
}
