import ArgumentParser
import BatonEngine
import Foundation

/// `baton delete-state-machine`: removes a state machine (or marks it DELETING while it has executions).
struct DeleteStateMachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-state-machine",
        abstract: "Delete a state machine (executions already started finish; no new ones start).")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The state machine name or ARN.", valueName: "NAME|ARN"))
    var stateMachine: String

    func run() async throws {
        try await options.withConnection(command: "delete-state-machine") { connection in
            guard try await StateMachineStore(configuration: options.engine).delete(stateMachine, on: connection) else {
                throw EngineError(.stateMachineDoesNotExist, "no state machine named \(stateMachine)")
            }
        }
    }
}
