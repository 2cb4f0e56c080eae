import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import Foundation

/// `baton list-executions`: AWS's ListExecutions JSON, newest first.
struct ListExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-executions", abstract: "List executions, newest first (AWS's ListExecutions JSON).")

    @OptionGroup var options: EngineOptions

    @Option(help: ArgumentHelp(
        "Only this state machine's (name or ARN); with a version or alias ARN, those started with it.", valueName: "NAME|ARN"))
    var stateMachine: String?

    @Option(help: "Only executions with this status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.")
    var statusFilter: String?

    @Option(help: "At most this many.")
    var maxResults = 1000

    func validate() throws {
        let statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]
        if let statusFilter, !statuses.contains(statusFilter) {
            throw ValidationError("--status-filter must be one of \(statuses.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await options.withConnection(command: "list-executions") { connection in
            let executions = try await ExecutionStore(configuration: options.engine)
                .list(stateMachine: stateMachine, status: statusFilter, limit: maxResults, on: connection)
            let items: [JSON] = executions.map { execution in
                var object: JSONObject = [
                    "executionArn": .string(execution.arn), "stateMachineArn": .string(execution.stateMachineArn),
                    "name": .string(execution.name), "status": .string(execution.status),
                    "startDate": .string(ASLTime.format(execution.startDate)),
                ]
                if let stop = execution.stopDate { object["stopDate"] = .string(ASLTime.format(stop)) }
                if let version = execution.stateMachineVersionArn { object["stateMachineVersionArn"] = .string(version) }
                if let alias = execution.stateMachineAliasArn { object["stateMachineAliasArn"] = .string(alias) }
                return .object(object)
            }
            print(JSON.object(["executions": .array(items)]).serialized())
        }
    }
}
