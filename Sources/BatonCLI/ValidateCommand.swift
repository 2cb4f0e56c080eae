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

/// `--substitute KEY=VALUE` and `--substitutions FILE`: values for `${Name}` placeholders in a definition,
/// as SAM's DefinitionSubstitutions. Shared by the commands that load a definition.
struct SubstitutionOptions: ParsableArguments {
    @Option(name: .customLong("substitute"), help: ArgumentHelp("A definition substitution: ${KEY} becomes VALUE. Repeatable.", valueName: "KEY=VALUE"))
    var substitute: [String] = []

    @Option(name: .customLong("substitutions"), help: ArgumentHelp("A JSON or YAML file mapping substitution names to values.", valueName: "FILE"))
    var substitutionsFile: String?

    /// The substitutions: the file's first, then each --substitute (which wins over the file).
    func load() throws -> [String: String] {
        var result: [String: String] = [:]
        if let substitutionsFile {
            let text = try readTextFile(substitutionsFile)
            result = try DefinitionLoader.parseSubstitutions(text: text, fileName: substitutionsFile)
        }
        for argument in substitute {
            let (key, value) = try DefinitionLoader.parseSubstitutionArgument(argument)
            result[key] = value
        }
        return result
    }
}

/// Why a file could not be read.
struct FileReadError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): cannot read the file: \(reason)" }
}

/// Reads a UTF-8 text file (`-` is standard input).
func readTextFile(_ path: String) throws -> String {
    if path == "-" {
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw FileReadError(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw FileReadError(path: path, reason: "it is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw FileReadError(path: path, reason: "permission denied or unreadable")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw FileReadError(path: path, reason: "it is not UTF-8 text") }
    return text
}

/// Reads and loads a definition file with substitutions.
func readDefinition(_ path: String, substitutions: [String: String]) throws -> JSON {
    let text = try readTextFile(path)
    return try DefinitionLoader.load(text: text, substitutions: substitutions, fileName: path == "-" ? nil : path)
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
