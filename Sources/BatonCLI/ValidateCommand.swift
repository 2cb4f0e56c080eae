import ASLDocument
import ArgumentParser
import BatonJSON
import Foundation

/// `baton validate FILE`: loads a definition (JSON or YAML, with substitutions) and reports every problem.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a state machine definition and report every problem in it.",
        discussion: """
            Prints each problem as LOCATION: MESSAGE, where LOCATION is a JSON pointer into the definition, \
            and exits 1 when there are any; prints OK and exits 0 when there are none. Warnings \
            (LOCATION: warning: MESSAGE) point at values that are probably mistaken and do not fail validation. \
            Exits 2 when the file cannot be read or is not JSON or YAML.
            """
    )

    /// The output formats.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The definition file (.json, .yaml or .yml; other names are sniffed).")
    var file: String

    @OptionGroup var substitutionOptions: SubstitutionOptions

    @Option(help: "text (one LOCATION: MESSAGE per line) or json ({\"result\": …, \"diagnostics\": […]}).")
    var output: OutputFormat = .text

    func run() async throws {
        let definition: JSON
        do {
            let substitutions = try substitutionOptions.load()
            definition = try readDefinition(file, substitutions: substitutions)
        } catch {
            printError("baton validate: \(error)")
            throw ExitCode(2)
        }
        let diagnostics = DefinitionValidator.validate(definition, options: .init(includeWarnings: true))
        let valid = !diagnostics.contains { $0.severity == .error }
        switch output {
        case .text:
            for diagnostic in diagnostics { print(diagnostic.description) }
            if valid { print("OK: \(file) is a valid state machine definition") }
        case .json:
            let entries: [JSON] = diagnostics.map {
                ["location": .string($0.location), "message": .string($0.message), "severity": .string($0.severity.rawValue)]
            }
            let report: JSON = ["result": valid ? "OK" : "FAIL", "diagnostics": .array(entries)]
            print(report.serialized())
        }
        if !valid { throw ExitCode(1) }
    }
}
