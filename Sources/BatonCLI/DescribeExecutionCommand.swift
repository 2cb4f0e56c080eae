import ArgumentParser
import BatonEngine
import Foundation

/// `baton describe-execution`: AWS's DescribeExecution JSON.
struct DescribeExecutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe-execution", abstract: "Print an execution as AWS's DescribeExecution JSON.")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The execution ARN.", valueName: "ARN"))
    var executionArn: String

    func run() async throws {
        try await options.withConnection(command: "describe-execution") { connection in
            guard let execution = try await ExecutionStore(configuration: options.engine).describe(executionArn, on: connection) else {
                throw EngineError(.executionDoesNotExist, "no execution with ARN \(executionArn)")
            }
            print(execution.awsJSON().serialized())
        }
    }
}
