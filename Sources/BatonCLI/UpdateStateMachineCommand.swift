import ArgumentParser
import ASLCore
import BatonJSON
import BatonEngine
import Foundation

/// `baton update-state-machine`: adds a version; running executions keep theirs.
struct UpdateStateMachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update-state-machine",
        abstract: "Give a state machine a new definition (running executions keep the one they started with).")

    @OptionGroup var options: EngineOptions

    @Option(help: ArgumentHelp("The state machine name or ARN.", valueName: "NAME|ARN"))
    var stateMachine: String

    @Option(help: ArgumentHelp("The new definition file (JSON or YAML), or - for standard input.", valueName: "FILE"))
    var definition: String

    @Option(help: "A new IAM role ARN to record.")
    var roleArn: String?

    @OptionGroup var substitutionOptions: SubstitutionOptions

    func run() async throws {
        try await options.withConnection(command: "update-state-machine") { connection in
            let json = try readDefinition(definition, substitutions: try substitutionOptions.load())
            let updated = try await StateMachineStore(configuration: options.engine)
                .update(stateMachine, definition: json, roleArn: roleArn, on: connection)
            print(JSON.object([
                "updateDate": .string(ASLTime.format(updated.updateDate)),
                "revisionId": .string(updated.revisionId.uuidString.lowercased()),
                "stateMachineVersionArn": .string("\(updated.arn):\(updated.versionNumber)"),
            ]).serialized())
        }
    }
}

