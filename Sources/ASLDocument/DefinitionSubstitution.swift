// SAM / CloudFormation `DefinitionSubstitutions`: `${Name}` placeholders in the definition are replaced by
// the values the caller supplies. CloudFormation substitutes in the definition's JSON text, where the
// placeholders sit inside strings, so here they are replaced in every string value and every object key;
// the result stays a string (`"Seconds": "${Wait}"` becomes the string "10", as on AWS). A `${` with no
// closing `}` is left alone; `${!Name}` stands for the literal text `${Name}` (CloudFormation's Fn::Sub escape);
// a placeholder with no value is an error naming it and where it is.
import BatonJSON

enum DefinitionSubstitution {
    static func apply(_ substitutions: [String: String], to definition: JSON, fileName: String?)
        throws(DefinitionLoadError) -> JSON
    {
        try substitute(definition, at: "", substitutions, fileName)
    }

    private static func substitute(_ value: JSON, at pointer: String, _ values: [String: String], _ fileName: String?)
        throws(DefinitionLoadError) -> JSON
    {
        switch value {
        case .string(let s):
            return .string(try replace(in: s, at: pointer, values, fileName))
        case .array(let array):
            var result: [JSON] = []
            result.reserveCapacity(array.count)
            for (index, element) in array.enumerated() {
                result.append(try substitute(element, at: pointer.pointer(index), values, fileName))
            }
            return .array(result)
        case .object(let object):
            var result = JSONObject()
            result.reserveCapacity(object.count)
            for (key, member) in object {
                let newKey = try replace(in: key, at: pointer.pointer(key), values, fileName)
                result[newKey] = try substitute(member, at: pointer.pointer(key), values, fileName)
            }
            return .object(result)
        default:
            return value
        }
    }

    /// Replaces every `${Name}` in `text`.
    static func replace(in text: String, at pointer: String, _ values: [String: String], _ fileName: String?)
        throws(DefinitionLoadError) -> String
    {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = text[...]
        while let start = rest.firstRange(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<end])
            result += rest[..<start.lowerBound]
            if name.hasPrefix("!") {
                result += "${" + name.dropFirst() + "}"
                rest = rest[rest.index(after: end)...]
                continue
            }
            guard let replacement = values[name] else {
                let known = values.keys.sorted()
                var message = "no value for the definition substitution ${\(name)}; pass --substitute \(name)=VALUE"
                    + " or put \(name) in the --substitutions file (write ${!\(name)} for the literal text)"
                if !known.isEmpty { message += " (substitutions given: \(known.joined(separator: ", ")))" }
                throw DefinitionLoadError(
                    kind: .unresolvedSubstitution, message: message, fileName: fileName,
                    location: pointer.isEmpty ? "/" : pointer, placeholder: name)
            }
            result += replacement
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result
    }
}
