import ArgumentParser
import ASLCore
import ASLDocument
import BatonJSON
import BatonLocal
import Foundation

/// `baton run`: runs one execution of a definition in process, with local shell commands as functions.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one execution of a state machine definition in this process.",
        discussion: """
            Prints one JSON object: {"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT"|"ABORTED", "output": …, \
            "error": …, "cause": …} (plus "history" with --history and "events" with --events). \
            Exits 0 when the execution succeeded, 1 when it failed, timed out or was aborted, and 2 when it \
            could not run (an invalid definition or input; the problems are written to standard error).

            A Task's function is served by --function NAME=COMMAND: COMMAND runs with /bin/sh -c, the task \
            input on stdin; its stdout is the result. A non-zero exit fails the task: the error name and \
            cause come from a {"errorType": …, "errorMessage": …} object on stdout when there is one, else \
            the error is States.TaskFailed with stderr as cause. Lambda ARNs, lambda:invoke's FunctionName, \
            activity ARNs and baton:function:NAME all name a function by NAME.

            Defaults: --name is a random UUID, --state-machine-name baton-local, --region us-east-1, \
            --account 123456789012; they appear in $$.Execution.Id, $$.StateMachine.Id and the history.
            """
    )

    @Option(help: ArgumentHelp("The definition file (JSON or YAML).", valueName: "FILE"))
    var definition: String

    @Option(help: ArgumentHelp("The execution input: a JSON file, or - for standard input (default {}).", valueName: "FILE"))
    var input: String?

    @Option(name: .customLong("function"), help: ArgumentHelp("Serve function NAME by running COMMAND. Repeatable.", valueName: "NAME=COMMAND"))
    var functions: [String] = []

    @Flag(help: "Include the execution history (AWS's GetExecutionHistory events) in the output.")
    var history = false

    @Flag(help: "Include the list of history event types in the output.")
    var events = false

    @Flag(help: "Do not wait for Wait states, retry intervals or timeouts in real time; timestamps stay consistent.")
    var fastTimers = false

    @Option(help: "The execution name.")
    var name: String?

    @Option(help: "The state machine name.")
    var stateMachineName = "baton-local"

    @Option(help: ArgumentHelp("The state machine type, STANDARD or EXPRESS (an EXPRESS execution's ARN is …:express:…). Local runs only.", valueName: "TYPE"))
    var type = "STANDARD"

    @Option(help: "The region in ARNs.")
    var region = "us-east-1"

    @Option(help: "The account id in ARNs.")
    var account = "123456789012"

    @Option(help: ArgumentHelp("The seed of the random source (retry jitter, States.MathRandom, States.UUID).", valueName: "N"))
    var seed: UInt64?

    @OptionGroup var substitutionOptions: SubstitutionOptions

    @Option(help: ArgumentHelp("Run through the distributed engine on this database (see RunCommand+Distributed.swift).", valueName: "URL"))
    var database: String?

    @Flag(help: "With --database: run a coordinator and the --function workers in this process.")
    var embedded = false

    func validate() throws {
        guard ["STANDARD", "EXPRESS"].contains(type) else { throw ValidationError("--type must be STANDARD or EXPRESS, not \(type)") }
        if database != nil, type != "STANDARD" {
            throw ValidationError("--type is for local runs; with --database the state machine has the type it was created with (create-state-machine --type)")
        }
    }

    func run() async throws {
        let machine: StateMachine
        let executionInput: JSON
        var functionCommands: [String: String] = [:]
        do {
            for argument in functions {
                guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                    throw RunSetupError("a function must be given as NAME=COMMAND, not \"\(argument)\"")
                }
                functionCommands[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
            }
            let definitionJSON = try readDefinition(definition, substitutions: try substitutionOptions.load())
            let diagnostics = DefinitionValidator.validate(definitionJSON, options: ValidationOptions(
                availableFunctions: Set(functionCommands.keys))).filter { $0.severity == .error }
            if !diagnostics.isEmpty {
                for diagnostic in diagnostics { printError("\(definition): \(diagnostic)") }
                throw ExitCode(2)
            }
            machine = try StateMachine(definition: definitionJSON)
            if let input {
                let text = try readTextFile(input)
                do { executionInput = try JSON(parsing: text) } catch {
                    throw RunSetupError("the input \(input) is not JSON: \(error)")
                }
            } else {
                executionInput = .object([:])
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("baton run: \(error)")
            throw ExitCode(2)
        }
        if let database {
            try await runDistributed(database: database, definitionJSON: machine.definition, input: executionInput,
                                     functions: functionCommands)
            return
        }
        let options = LocalRunOptions(
            functions: functionCommands, fastTimers: fastTimers, stateMachineName: stateMachineName,
            executionName: name ?? UUID().uuidString.lowercased(), region: region, account: account,
            keepHistory: history || events, randomSeed: seed, stateMachineType: type)
        let result = await LocalRunner(machine: machine, options: options).run(input: executionInput)
        var report = JSONObject()
        report["status"] = .string(result.outcome.status)
        switch result.outcome {
        case .succeeded(let output):
            report["output"] = output
            report["error"] = .null
            report["cause"] = .null
        case .failed(let failure), .timedOut(let failure), .aborted(let failure):
            report["output"] = .null
            report["error"] = failure.error.map(JSON.string) ?? .null
            report["cause"] = failure.cause.map(JSON.string) ?? .null
        }
        if events { report["events"] = .array(result.history.map { .string($0.type) }) }
        if history { report["history"] = .array(result.history.map { $0.awsJSON() }) }
        print(JSON.object(report).serialized())
        if case .succeeded = result.outcome { return }
        throw ExitCode(1)
    }
}

/// A problem with `baton run`'s arguments or input.
struct RunSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
