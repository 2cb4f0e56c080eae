import ArgumentParser
import BatonEngine
import BatonJSON
import Foundation

/// `baton describe-state-machine`: AWS's DescribeStateMachine JSON.
struct DescribeStateMachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe-state-machine", abstract: "Print a state machine as AWS's DescribeStateMachine JSON.")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The state machine name or ARN.", valueName: "NAME|ARN"))
    var stateMachine: String

    func run() async throws {
        try await options.withConnection(command: "describe-state-machine") { connection in
            guard let machine = try await StateMachineStore(configuration: options.engine).describe(stateMachine, on: connection) else {
                throw EngineError(.stateMachineDoesNotExist, "no state machine named \(stateMachine)")
            }
            print(machine.awsJSON().serialized())
        }
    }
}
