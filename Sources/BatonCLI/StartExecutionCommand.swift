import ArgumentParser
import BatonEngine
import BatonJSON
import Foundation

/// `baton start-execution`: starts an execution; prints its ARN.
struct StartExecutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-execution",
        abstract: "Start an execution and print its ARN (a running coordinator advances it).",
        discussion: "Starting again with the same --name and input returns the same execution; a different input is ExecutionAlreadyExists.")

    @OptionGroup var options: EngineOptions

    @Option(help: ArgumentHelp("The state machine name or ARN.", valueName: "NAME|ARN"))
    var stateMachine: String

    @Option(help: ArgumentHelp("The input: a JSON file, or - for standard input (default {}).", valueName: "FILE"))
    var input: String?

    @Option(help: "The execution name (default: a random UUID).")
    var name: String?

    func run() async throws {
        try await options.withConnection(command: "start-execution") { connection in
            let value = try input.map { path in
                let text = try readTextFile(path)
                do { return try JSON(parsing: text) } catch {
                    throw EngineError(.invalidExecutionInput, "the input \(path) is not JSON: \(error)")
                }
            }
            let execution = try await ExecutionStore(configuration: options.engine)
                .start(stateMachine: stateMachine, input: value, name: name, on: connection)
            print(execution.arn)
        }
    }
}
