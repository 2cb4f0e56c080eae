// YAML text to `JSON`, through Yams' node tree (so mapping order and source marks are kept).
// Plain scalars are typed by the YAML 1.2 core schema — `true`/`false`, `null`/`~`/empty, decimal, octal
// (`0o`) and hex (`0x`) integers, floats — not by YAML 1.1's rules that Yams' default resolver follows
// (where `yes`, `on` and `0777` are not strings): a definition's `Comment: yes` stays the string "yes".
// Quoted scalars are strings. `<<` merge keys are honoured, as deployment files use them.
import BatonJSON
import Yams

enum YAMLConverter {
    static func convert(_ text: String, fileName: String?) throws(DefinitionLoadError) -> JSON {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw loadError(from: error, fileName: fileName)
        } catch {
            throw DefinitionLoadError(kind: .invalidYAML, message: "invalid YAML: \(error)", fileName: fileName)
        }
        guard let root else {
            throw DefinitionLoadError(kind: .notADefinition, message: "the text holds no YAML document", fileName: fileName)
        }
        var converter = Conversion(fileName: fileName)
        return try converter.json(from: root)
    }

    private static func loadError(from error: YamlError, fileName: String?) -> DefinitionLoadError {
        func make(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> DefinitionLoadError {
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return DefinitionLoadError(kind: .invalidYAML, message: message, fileName: fileName, line: mark.line, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return make(problem, context, mark)
        case .reader(let problem, let offset, _, let yaml):
            var line: Int?
            var column: Int?
            if let offset {
                let prefix = yaml.utf8.prefix(offset)
                line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                column = prefix.count - (prefix.lastIndex(of: 0x0A).map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            }
            return DefinitionLoadError(kind: .invalidYAML, message: "invalid YAML: \(problem)", fileName: fileName, line: line, column: column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return DefinitionLoadError(
                kind: .invalidYAML, message: "invalid YAML: duplicate key \(keys) in a mapping", fileName: fileName,
                line: context.mark.line, column: context.mark.column)
        default:
            return DefinitionLoadError(kind: .invalidYAML, message: "invalid YAML: \(error)", fileName: fileName)
        }
    }

    private struct Conversion {
        let fileName: String?
        var depth = 0

        func fail(_ message: String, at mark: Mark?) -> DefinitionLoadError {
            DefinitionLoadError(kind: .invalidYAML, message: message, fileName: fileName, line: mark?.line, column: mark?.column)
        }

        mutating func json(from node: Node) throws(DefinitionLoadError) -> JSON {
            depth += 1
            defer { depth -= 1 }
            if depth > JSON.maximumDepth { throw fail("nesting deeper than \(JSON.maximumDepth) levels", at: node.mark) }
            switch node {
            case .scalar(let scalar):
                return try json(from: scalar)
            case .sequence(let sequence):
                try checkTag(sequence.tag, expected: .seq, at: sequence.mark)
                var array: [JSON] = []
                array.reserveCapacity(sequence.count)
                for element in sequence { array.append(try json(from: element)) }
                return .array(array)
            case .mapping(let mapping):
                try checkTag(mapping.tag, expected: .map, at: mapping.mark)
                var object = JSONObject()
                var merged: [JSONObject] = []
                for (keyNode, valueNode) in mapping {
                    if case .scalar(let k) = keyNode, k.string == "<<", k.style != .singleQuoted, k.style != .doubleQuoted {
                        merged.append(contentsOf: try mergeSources(valueNode))
                        continue
                    }
                    guard case .scalar(let keyScalar) = keyNode else {
                        throw fail("a mapping key must be a plain value, not a \(keyNode.mapping != nil ? "mapping" : "sequence")", at: keyNode.mark)
                    }
                    object[keyScalar.string] = try json(from: valueNode)
                }
                for source in merged {
                    for (key, value) in source where object[key] == nil { object[key] = value }
                }
                return .object(object)
            case .alias(let alias):
                throw fail("unresolved YAML alias *\(alias.anchor.rawValue)", at: alias.mark)
            }
        }

        mutating func mergeSources(_ node: Node) throws(DefinitionLoadError) -> [JSONObject] {
            switch node {
            case .mapping:
                if case .object(let object) = try json(from: node) { return [object] }
            case .sequence(let sequence):
                var sources: [JSONObject] = []
                for element in sequence { sources.append(contentsOf: try mergeSources(element)) }
                return sources
            default:
                break
            }
            throw fail("a `<<` merge key needs a mapping or a list of mappings", at: node.mark)
        }

        func checkTag(_ tag: Tag, expected: Tag.Name, at mark: Mark?) throws(DefinitionLoadError) {
            let name = tag.rawValue
            if name.isEmpty || name == "!" || name == expected.rawValue { return }
            throw unsupportedTag(name, at: mark)
        }

        func unsupportedTag(_ name: String, at mark: Mark?) -> DefinitionLoadError {
            var message = "the YAML tag \(name) is not supported"
            if name.hasPrefix("!"), !name.hasPrefix("!!") {
                message += "; CloudFormation functions such as !Ref, !GetAtt and !Sub are resolved at deployment, "
                    + "so write the value itself or a ${Name} definition substitution"
            }
            return fail(message, at: mark)
        }

        func resolve(_ text: String, at mark: Mark?) throws(DefinitionLoadError) -> JSON? {
            do {
                return try CoreSchema.resolvePlain(text)
            } catch {
                throw fail("the YAML number \(text) has no JSON equivalent", at: mark)
            }
        }

        func json(from scalar: Node.Scalar) throws(DefinitionLoadError) -> JSON {
            let tag = scalar.tag.rawValue
            let text = scalar.string
            switch tag {
            case "", "!":
                if scalar.style != .plain || tag == "!" { return .string(text) }
                return try resolve(text, at: scalar.mark) ?? .string(text)
            case Tag.Name.str.rawValue:
                return .string(text)
            case Tag.Name.null.rawValue:
                return .null
            case Tag.Name.bool.rawValue:
                if let value = try resolve(text, at: scalar.mark), case .bool = value { return value }
                throw fail("\"\(text)\" is not a boolean", at: scalar.mark)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                guard let value = try resolve(text, at: scalar.mark), case .number(let number) = value else {
                    throw fail("\"\(text)\" is not a number", at: scalar.mark)
                }
                if tag == Tag.Name.float.rawValue, case .int(let i) = number { return .number(.double(Double(i))) }
                return value
            default:
                throw unsupportedTag(tag, at: scalar.mark)
            }
        }
    }
}
