// What every command that reads a definition shares: `${Name}` substitution options, reading a file (or
// standard input), loading JSON/YAML through ASLDocument, and one-line errors on standard error.

import ASLDocument
import ArgumentParser
import BatonJSON
import Foundation

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
