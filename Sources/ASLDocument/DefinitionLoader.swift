// Loading a definition: JSON or YAML text (chosen by file extension, else sniffed from the first character)
// becomes a `JSON` value with key order kept, then SAM-style `${Name}` substitutions are applied.
// When a YAML or JSON document is a whole deployment template (SAM/CloudFormation or serverless-framework)
// rather than a bare definition, the one state machine definition inside it is taken.
import ASLExpressions
import BatonJSON

/// The text format of a definition.
public enum DefinitionFormat: Sendable {
    /// Strict JSON.
    case json
    /// YAML 1.2 (JSON is also accepted, as YAML is its superset).
    case yaml
    /// Chosen from the file name's extension (`.json`, `.yaml`, `.yml`, `.asl.json`, …), else sniffed:
    /// text starting with `{` is JSON, anything else YAML.
    case auto
}

/// Loads state machine definitions from text.
public enum DefinitionLoader {
    /// Parses JSON or YAML text and applies `${Name}` substitutions.
    ///
    /// - Parameters:
    ///   - text: the definition text.
    ///   - format: how to read it; `.auto` decides from `fileName`'s extension, else from the content.
    ///   - substitutions: values for `${Name}` placeholders (SAM's `DefinitionSubstitutions`). Placeholders are
    ///     replaced in every string value and object key; one with no value is an error.
    ///   - fileName: used to choose the format and to name the file in errors.
    /// - Returns: the definition. A document that is a SAM/CloudFormation or serverless-framework template
    ///   holding exactly one state machine definition yields that definition.
    public static func load(
        text: String, format: DefinitionFormat = .auto, substitutions: [String: String] = [:],
        fileName: String? = nil
    ) throws(DefinitionLoadError) -> JSON {
        let document = try parse(text: text, format: resolvedFormat(format, text: text, fileName: fileName), fileName: fileName)
        let definition = try extractDefinition(from: document, fileName: fileName)
        return try DefinitionSubstitution.apply(substitutions, to: definition, fileName: fileName)
    }

    /// Parses JSON or YAML text into a `JSON` value, with no substitution and no template extraction.
    public static func parse(text: String, format: DefinitionFormat = .auto, fileName: String? = nil)
        throws(DefinitionLoadError) -> JSON
    {
        switch resolvedFormat(format, text: text, fileName: fileName) {
        case .json:
            let json: JSON
            do {
                json = try JSON(parsing: text)
            } catch {
                throw DefinitionLoadError(
                    kind: .invalidJSON, message: "invalid JSON: \(error.message)", fileName: fileName,
                    line: error.line, column: error.column)
            }
            if let duplicate = JSONDuplicateKeys.first(in: text) {
                throw DefinitionLoadError(
                    kind: .invalidJSON,
                    message: "duplicate key \"\(duplicate.key)\" in the object at \(duplicate.pointer.isEmpty ? "/" : duplicate.pointer); "
                        + "each name may appear only once (state names must be unique)",
                    fileName: fileName, line: duplicate.line, column: duplicate.column)
            }
            return json
        case .yaml, .auto:
            return try YAMLConverter.convert(text, fileName: fileName)
        }
    }

    /// The format `.auto` stands for, given a file name and the text.
    static func resolvedFormat(_ format: DefinitionFormat, text: String, fileName: String?) -> DefinitionFormat {
        guard case .auto = format else { return format }
        if let fileName {
            let lower = fileName.lowercased()
            if lower.hasSuffix(".json") || lower.hasSuffix(".asl") { return .json }
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{FEFF}": continue
            case "{": return .json
            default: return .yaml
            }
        }
        return .yaml
    }

    /// Returns the document itself when it is a definition (has `StartAt` or `States`), otherwise the single
    /// state machine definition found inside a deployment template.
    static func extractDefinition(from document: JSON, fileName: String?) throws(DefinitionLoadError) -> JSON {
        guard case .object(let root) = document else {
            throw DefinitionLoadError(
                kind: .notADefinition,
                message: "a state machine definition must be a JSON object, not \(document.typeName)",
                fileName: fileName)
        }
        if root["StartAt"] != nil || root["States"] != nil { return document }
        var found: [(pointer: String, definition: JSON)] = []
        findDefinitions(in: document, pointer: "", into: &found)
        if found.count == 1 { return found[0].definition }
        if found.isEmpty { return document }  // validation reports the missing StartAt/States
        let places = found.map(\.pointer).joined(separator: ", ")
        throw DefinitionLoadError(
            kind: .notADefinition,
            message: "the document holds \(found.count) state machine definitions (at \(places)); "
                + "put the one to use in a file of its own",
            fileName: fileName)
    }

    private static func findDefinitions(in value: JSON, pointer: String, into found: inout [(pointer: String, definition: JSON)]) {
        switch value {
        case .object(let object):
            if object["StartAt"] != nil, object["States"]?.objectValue != nil {
                found.append((pointer, value))
                return
            }
            for (key, member) in object {
                findDefinitions(in: member, pointer: JSONPointer.appending(key, to: pointer), into: &found)
            }
        case .array(let array):
            for (index, element) in array.enumerated() {
                findDefinitions(in: element, pointer: JSONPointer.appending(String(index), to: pointer), into: &found)
            }
        default:
            return
        }
    }
}
