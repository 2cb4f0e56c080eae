// `baton get-execution-history`: the history as a readable tree (default) or AWS's JSON (--output json).
//
// The tree: one line per state (entered → exited, with its duration), indented under the Map iteration or
// Parallel branch it ran in; task attempts, retries and waits as sub-lines; failures marked ✗ with error
// and cause (in red on a terminal). --show-io adds each state's input and output.
import ArgumentParser
import ASLCore
import BatonEngine
import BatonJSON
import BatonPostgres
import Foundation

struct GetExecutionHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-execution-history",
        abstract: "Print an execution's history: a readable tree, or AWS's GetExecutionHistory JSON.")

    @OptionGroup var options: EngineOptions

    @Argument(help: ArgumentHelp("The execution ARN.", valueName: "ARN"))
    var executionArn: String

    @Option(help: "tree (default) or json (AWS's GetExecutionHistory shape).")
    var output = "tree"

    @Flag(help: "Show each state's input and output in the tree.")
    var showIo = false

    func validate() throws {
        guard ["tree", "json"].contains(output) else { throw ValidationError("--output must be tree or json") }
    }

    func run() async throws {
        try await options.withConnection(command: "get-execution-history") { connection in
            guard let execution = try await ExecutionStore(configuration: options.engine).describe(executionArn, on: connection) else {
                throw EngineError(.executionDoesNotExist, "no execution with ARN \(executionArn)")
            }
            let events = try await HistoryStore().read(executionId: execution.id, on: connection)
            if output == "json" {
                print(JSON.object(["events": .array(events.map { $0.awsJSON() })]).serialized())
                return
            }
            let depths = try await itemDepths(executionId: execution.id, on: connection)
            print(HistoryTree(events: events, itemDepths: depths, showIO: showIo,
                              color: isatty(STDOUT_FILENO) != 0).render(), terminator: "")
        }
    }

    /// Nesting depth of every Map item / Parallel branch (1 for the top level's children).
    private func itemDepths(executionId: Int64, on connection: PostgresConnection) async throws -> [Int64: Int] {
        let rows = try await connection.query(
            """
            WITH RECURSIVE tree(id, depth) AS (
                SELECT i.id, 1 FROM baton.fan_out_items i JOIN baton.fan_outs f ON f.id = i.fan_out_id
                WHERE f.execution_id = $1 AND f.parent_item_id IS NULL
                UNION ALL
                SELECT i.id, tree.depth + 1 FROM tree
                JOIN baton.fan_outs f ON f.parent_item_id = tree.id
                JOIN baton.fan_out_items i ON i.fan_out_id = f.id
            )
            SELECT id, depth FROM tree
            """, [executionId])
        var result: [Int64: Int] = [:]
        for row in rows { result[try row.decode(0)] = try row.decode(1) }
        return result
    }
}

/// Renders history events as an indented tree of states.
struct HistoryTree {
    var events: [StoredHistoryEvent]
    var itemDepths: [Int64: Int]
    var showIO: Bool
    var color: Bool

    func render() -> String {
        guard let start = events.first?.timestamp else { return "(no events)\n" }
        var text = ""
        var entered: [String: Date] = [:]
        func line(_ event: StoredHistoryEvent, _ body: String, failed: Bool = false) {
            let offset = String(format: "%9.3fs", event.timestamp.timeIntervalSince(start))
            let indent = String(repeating: "  ", count: event.fanOutItemId.flatMap { itemDepths[$0] } ?? 0)
            let content = failed && color ? "\u{1B}[31m\(body)\u{1B}[0m" : body
            text += "\(offset)  \(indent)\(content)\n"
        }
        for event in events {
            let name = event.details["name"]?.stringValue ?? ""
            let key = "\(event.fanOutItemId ?? 0)/\(name)"
            switch event.type {
            case let type where type.hasSuffix("StateEntered"):
                entered[key] = event.timestamp
                line(event, "▶ \(name) (\(type.dropLast("StateEntered".count)))")
                if showIO, let input = event.details["input"]?.stringValue { line(event, "    input:  \(input)") }
            case let type where type.hasSuffix("StateExited"):
                let took = entered[key].map { String(format: " %.3fs", event.timestamp.timeIntervalSince($0)) } ?? ""
                line(event, "✓ \(name)\(took)")
                if showIO, let output = event.details["output"]?.stringValue { line(event, "    output: \(output)") }
            case "MapIterationStarted":
                line(event, "┌ item \(event.details["index"]?.intValue ?? 0)")
            case "MapStateStarted":
                line(event, "  \(event.details["length"]?.intValue ?? 0) items")
            case let type where type.hasSuffix("Failed") || type.hasSuffix("TimedOut") || type.hasSuffix("Aborted"):
                var body = "✗ \(type)"
                if let error = event.details["error"]?.stringValue { body += " \(error)" }
                if let cause = event.details["cause"]?.stringValue { body += ": \(cause)" }
                line(event, body, failed: true)
            case "ExecutionStarted", "ExecutionSucceeded":
                line(event, event.type)
            default:
                break
            }
        }
        return text
    }
}
