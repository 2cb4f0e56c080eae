// Routes an AWS JSON 1.0 request to its operation: `X-Amz-Target: AWSStepFunctions.<Operation>` picks the
// handler from the per-family tables (state machines, executions, history, …); the body must be a JSON
// object. Handlers throw APIError for every client error; anything else is logged and answered as a 500 that
// does not leak internals.
import BatonJSON
import Foundation
import Logging

/// The operations this server implements, by name.
public struct OperationDispatcher: Sendable {
    /// The target prefix of the Step Functions API.
    public static let targetPrefix = "AWSStepFunctions."

    let handlers: [String: OperationHandler]

    /// The dispatcher over every implemented operation.
    public init() {
        var handlers: [String: OperationHandler] = [:]
        for family in [
            StateMachineOperations.handlers, ExecutionOperations.handlers, HistoryOperations.handlers,
            ActivityOperations.handlers, TaskOperations.handlers, TagOperations.handlers, MapRunOperations.handlers,
            VersionOperations.handlers,
        ] {
            handlers.merge(family) { first, _ in first }
        }
        self.handlers = handlers
    }

    /// The names of the operations implemented.
    public var implemented: [String] { handlers.keys.sorted() }

    /// The operation named by an `X-Amz-Target` header value.
    public func operation(forTarget target: String?) throws(APIError) -> (name: String, handler: OperationHandler) {
        guard let target, !target.isEmpty else {
            throw APIError.unknownOperation("the request has no X-Amz-Target header (expected AWSStepFunctions.<Operation>)")
        }
        guard target.hasPrefix(Self.targetPrefix) else {
            throw APIError.unknownOperation("\(target) is not a Step Functions operation (expected AWSStepFunctions.<Operation>)")
        }
        let name = String(target.dropFirst(Self.targetPrefix.count))
        if let handler = handlers[name] { return (name, handler) }
        if ServiceModel.operations.contains(name) {
            throw APIError.unknownOperation("Baton does not implement \(name) yet (see docs/api.md)")
        }
        throw APIError.unknownOperation("\(name) is not a Step Functions operation")
    }

    /// Runs the operation in `target` on `body`.
    public func dispatch(target: String?, body: [UInt8], context: OperationContext) async throws(APIError) -> JSON {
        let (name, handler) = try operation(forTarget: target)
        let input: JSONObject
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            input = [:]
        } else {
            let parsed: JSON
            do {
                parsed = try JSON(parsing: body)
            } catch {
                throw APIError.serialization("the request body of \(name) is not JSON: \(error)")
            }
            guard case .object(let object) = parsed else {
                throw APIError.serialization("the request body of \(name) must be a JSON object, not \(parsed.typeName)")
            }
            input = object
        }
        do {
            return try await handler(RequestFields(input), context)
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.error(
                "operation failed", metadata: ["operation": "\(name)", "error": "\(String(describing: error))"])
            throw APIError.internalFailure("\(name) failed inside Baton; the server log has the details")
        }
    }
}
