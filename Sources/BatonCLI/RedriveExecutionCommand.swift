import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import Foundation

/// `baton redrive-execution`: restarts a failed, aborted or timed-out execution from where it failed.
struct RedriveExecutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive-execution",
        abstract: "Redrive a FAILED, ABORTED or TIMED_OUT execution: a coordinator restarts it from the state that failed (only the failed Map items and Parallel branches run again).")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The execution ARN.", valueName: "ARN"))
    var executionArn: String

    @Option(help: ArgumentHelp("Makes the request idempotent: repeating it with the same token (within 15 minutes) returns the same redriveDate and redrives nothing.", valueName: "TOKEN"))
    var clientToken: String?

    func validate() throws {
        if let clientToken, !(1...64).contains(clientToken.count) {
            throw ValidationError("--client-token must be 1 to 64 characters")
        }
    }

    func run() async throws {
        try await options.withConnection(command: "redrive-execution") { connection in
            let date = try await ExecutionStore(configuration: options.engine).redrive(executionArn, clientToken: clientToken, on: connection)
            print(JSON.object(["redriveDate": .string(ASLTime.format(date))]).serialized())
        }
    }
}
