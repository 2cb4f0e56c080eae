// Errors of the engine's API, named after the AWS Step Functions errors an SDK user knows
// (`ExecutionAlreadyExists`, `StateMachineDoesNotExist`, …) so the CLI and a future HTTP API can print them
// in AWS's shape. Database failures are wrapped with what the engine was doing.
import ASLDocument
import BatonPostgres

/// An error of the engine's API.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of error, as AWS names it.
    public enum Code: String, Sendable, Hashable {
        /// An execution of that name exists with a different input.
        case executionAlreadyExists = "ExecutionAlreadyExists"
        /// No execution has that ARN.
        case executionDoesNotExist = "ExecutionDoesNotExist"
        /// No state machine has that name or ARN.
        case stateMachineDoesNotExist = "StateMachineDoesNotExist"
        /// A state machine of that name exists with a different definition.
        case stateMachineAlreadyExists = "StateMachineAlreadyExists"
        /// The state machine is being deleted; no new executions start.
        case stateMachineDeleting = "StateMachineDeleting"
        /// The definition does not validate.
        case invalidDefinition = "InvalidDefinition"
        /// A name breaks AWS's naming rules.
        case invalidName = "InvalidName"
        /// An ARN is malformed.
        case invalidArn = "InvalidArn"
        /// The input is not JSON or too large.
        case invalidExecutionInput = "InvalidExecutionInput"
        /// The execution cannot be redriven (running, succeeded, too old, EXPRESS, …).
        case executionNotRedrivable = "ExecutionNotRedrivable"
        /// The request conflicts with the current state (a revision that is no longer current, a version an
        /// alias still routes to, an alias that exists with another configuration).
        case conflict = "ConflictException"
        /// A named resource (a version an alias would route to) does not exist.
        case resourceNotFound = "ResourceNotFound"
        /// A request value breaks a rule (an alias's routes).
        case validation = "ValidationException"
        /// The database failed.
        case database = "DatabaseError"
    }

    /// What kind of error.
    public var code: Code
    /// A one-line message that says what and where.
    public var message: String
    /// The definition problems, for `invalidDefinition`.
    public var diagnostics: [Diagnostic]

    /// An error with this code and message.
    public init(_ code: Code, _ message: String, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Wraps a database error with what was being done.
    static func database(_ doing: String, _ error: any Error) -> EngineError {
        if let engine = error as? EngineError { return engine }
        return EngineError(.database, "\(doing): \(error)")
    }
}

/// AWS's naming rule for state machines and executions (the `baton.aws_name` domain checks it too).
enum AWSName {
    static let forbidden = Set(" \t\n\r<>{}[]?*\"#%\\^|~`$&,;:/")

    static func check(_ name: String, what: String) throws(EngineError) {
        guard (1...80).contains(name.count) else {
            throw EngineError(.invalidName, "the \(what) name must be 1 to 80 characters long: \"\(name)\"")
        }
        if let bad = name.first(where: { forbidden.contains($0) || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            throw EngineError(.invalidName, "the \(what) name \"\(name)\" contains the character \"\(bad)\", which AWS names may not contain")
        }
    }
}
