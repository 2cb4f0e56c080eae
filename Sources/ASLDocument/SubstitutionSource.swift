// Where definition substitutions come from on a command line: `KEY=VALUE` arguments and a JSON or YAML
// file holding a map (as SAM's DefinitionSubstitutions). Shared by every command that loads a definition.
import ASLExpressions
import BatonJSON

extension DefinitionLoader {
    /// Parses one `KEY=VALUE` argument (the value may itself contain `=`).
    public static func parseSubstitutionArgument(_ argument: String) throws(DefinitionLoadError) -> (key: String, value: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw DefinitionLoadError(
                kind: .notADefinition, message: "a substitution must be written KEY=VALUE, not \"\(argument)\"")
        }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// Parses a substitutions file: a JSON or YAML map from names to strings (numbers and booleans are taken
    /// as their text). A SAM-style `{"DefinitionSubstitutions": {…}}` wrapper is accepted too.
    public static func parseSubstitutions(text: String, format: DefinitionFormat = .auto, fileName: String? = nil)
        throws(DefinitionLoadError) -> [String: String]
    {
        var document = try parse(text: text, format: format, fileName: fileName)
        if case .object(let object) = document, object.count == 1, let inner = object["DefinitionSubstitutions"] {
            document = inner
        }
        guard case .object(let members) = document else {
            throw DefinitionLoadError(
                kind: .notADefinition,
                message: "a substitutions file must hold a map from names to values, not \(document.typeName)",
                fileName: fileName)
        }
        var result: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let s): result[key] = s
            case .number(let n): result[key] = n.jsonText
            case .bool(let b): result[key] = b ? "true" : "false"
            default:
                throw DefinitionLoadError(
                    kind: .notADefinition,
                    message: "the substitution \(key) must be a string, number or boolean, not \(value.typeName)",
                    fileName: fileName, location: JSONPointer.appending(key, to: ""))
            }
        }
        return result
    }
}
