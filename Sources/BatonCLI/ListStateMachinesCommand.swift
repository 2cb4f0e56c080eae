import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import Foundation

/// `baton list-state-machines`: AWS's ListStateMachines JSON.
struct ListStateMachinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-state-machines", abstract: "List state machines (AWS's ListStateMachines JSON).")

    @OptionGroup var options: EngineOptions

    func run() async throws {
        try await options.withConnection(command: "list-state-machines") { connection in
            let machines = try await StateMachineStore(configuration: options.engine).list(on: connection)
            let items: [JSON] = machines.map { machine in
                .object([
                    "stateMachineArn": .string(machine.arn), "name": .string(machine.name), "type": .string(machine.type),
                    "creationDate": .string(ASLTime.format(machine.creationDate)),
                ])
            }
            print(JSON.object(["stateMachines": .array(items)]).serialized())
        }
    }
}
