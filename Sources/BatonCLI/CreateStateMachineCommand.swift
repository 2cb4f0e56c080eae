import ArgumentParser
import BatonEngine
import Foundation

/// `baton create-state-machine`: registers a definition; prints the state machine ARN.
struct CreateStateMachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-state-machine",
        abstract: "Register a state machine definition (JSON or YAML) and print its ARN.")

    @OptionGroup var options: EngineOptions

    @Option(help: "The state machine name.")
    var name: String

    @Option(help: ArgumentHelp("The definition file (JSON or YAML), or - for standard input.", valueName: "FILE"))
    var definition: String

    @Option(help: "An IAM role ARN to record (Baton does not assume it).")
    var roleArn: String?

    @OptionGroup var substitutionOptions: SubstitutionOptions

    func run() async throws {
        try await options.withConnection(command: "create-state-machine") { connection in
            let json = try readDefinition(definition, substitutions: try substitutionOptions.load())
            do {
                let created = try await StateMachineStore(configuration: options.engine)
                    .create(name: name, definition: json, roleArn: roleArn, on: connection)
                print(created.arn)
            } catch let error as EngineError where error.code == .invalidDefinition && !error.diagnostics.isEmpty {
                for diagnostic in error.diagnostics { printError("\(definition): \(diagnostic)") }
                throw EngineError(.invalidDefinition, "\(definition) has \(error.diagnostics.count) problem(s)")
            }
        }
    }
}
