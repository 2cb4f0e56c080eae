import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import Foundation

/// `baton stop-execution`: asks the coordinators to stop a running execution.
struct StopExecutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop-execution",
        abstract: "Stop a running execution (it ends ABORTED; its running tasks are cancelled).")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The execution ARN.", valueName: "ARN"))
    var executionArn: String

    @Option(help: "The error to record.")
    var error: String?

    @Option(help: "The cause to record.")
    var cause: String?

    func run() async throws {
        try await options.withConnection(command: "stop-execution") { connection in
            try await ExecutionStore(configuration: options.engine)
                .stop(executionArn, error: error, cause: cause, on: connection)
            print(JSON.object(["stopDate": .string(ASLTime.format(Date()))]).serialized())
        }
    }
}
