import BatonJSON

/// A parsed intrinsic function call, e.g. `States.Format('{}', $.a)`: parsed once when the
/// definition loads (syntax, arity and the types of literal arguments are checked then), evaluated
/// each time the state runs.
public struct IntrinsicCall: Sendable, Hashable, CustomStringConvertible {
    /// The call exactly as written.
    public let text: String
    let function: IntrinsicFunction
    let arguments: [IntrinsicArgument]
    /// For `States.Format` with a literal template: the template split at its placeholders.
    let formatTemplate: FormatTemplate?

    /// Parses `text`; throws what is wrong with it, and where.
    public init(_ text: String) throws(PathSyntaxError) {
        var parser = IntrinsicParser(text)
        let call = try parser.parseWhole()
        self = call
    }

    init(text: String, function: IntrinsicFunction, arguments: [IntrinsicArgument]) throws(PathSyntaxError) {
        self.text = text
        self.function = function
        self.arguments = arguments
        if function == .format, case .string(_, let raw)? = arguments.first {
            let template = FormatTemplate(raw: raw)
            guard template.placeholderCount == arguments.count - 1 else {
                throw PathSyntaxError("\(function.rawValue): the template has \(template.placeholderCount) placeholder(s) '{}' but \(arguments.count - 1) argument(s) follow it")
            }
            formatTemplate = template
        } else {
            formatTemplate = nil
        }
    }

    /// The name of the function called, e.g. `States.Format`.
    public var functionName: String { function.rawValue }

    /// The call as written.
    public var description: String { text }

    /// Every path the call reads, nested calls included (for validation and analysis).
    public var paths: [Path] {
        arguments.flatMap { argument -> [Path] in
            switch argument {
            case .path(let path): [path]
            case .call(let call): call.paths
            case .literal, .string: []
            }
        }
    }

    /// Runs the call. Randomness (`States.MathRandom` without a seed, `States.UUID`) is drawn from
    /// `random`. Throws `States.IntrinsicFailure` for bad arguments and `States.Runtime` when a path
    /// argument selects nothing.
    public func evaluate(in scope: ExpressionScope, random: inout SeededRandom) throws(ASLError) -> JSON {
        try evaluate(in: scope, random: &random, field: nil)
    }

    /// As `evaluate(in:random:)`; `field` names the field holding the call in error causes.
    public func evaluate(in scope: ExpressionScope, random: inout SeededRandom, field: String?) throws(ASLError) -> JSON {
        var values: [JSON] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            switch argument {
            case .literal(let value): values.append(value)
            case .string(let value, _): values.append(.string(value))
            case .path(let path):
                guard let value = path.select(in: scope) else { throw path.notFound(field: field ?? text, scope: scope) }
                values.append(value)
            case .call(let call): values.append(try call.evaluate(in: scope, random: &random, field: field))
            }
        }
        for (index, value) in values.enumerated() {
            let kind = function.expectedKind(at: index)
            guard kind.accepts(value) else {
                throw intrinsicFailure(function, "the \(ordinal(index)) argument must be a\(kind == .any || kind == .array || kind == .object ? "n" : "") \(kind.rawValue), but was \(value.typeName) \(value.serialized())")
            }
        }
        switch function {
        case .format: return try format(values)
        case .stringSplit: return try stringSplit(values)
        case .stringToJson: return try stringToJson(values)
        case .jsonToString: return .string(javaStyleJSON(values[0]))
        case .jsonMerge: return try jsonMerge(values)
        case .array: return .array(values)
        case .arrayPartition: return try arrayPartition(values)
        case .arrayContains: return .bool(values[0].arrayValue!.contains(values[1]))
        case .arrayRange: return try arrayRange(values)
        case .arrayGetItem: return try arrayGetItem(values)
        case .arrayLength: return .int(values[0].arrayValue!.count)
        case .arrayUnique: return arrayUnique(values)
        case .base64Encode: return try base64Encode(values)
        case .base64Decode: return try base64Decode(values)
        case .hash: return try computeHash(values)
        case .mathAdd: return try mathAdd(values)
        case .mathRandom: return try mathRandom(values, random: &random)
        case .uuid: return .string(makeUUID(random: &random))
        }
    }

    /// Calls are equal when written alike.
    public static func == (lhs: IntrinsicCall, rhs: IntrinsicCall) -> Bool { lhs.text == rhs.text }
    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// An argument of an intrinsic call.
indirect enum IntrinsicArgument: Sendable, Hashable {
    /// A number, `true`, `false` or `null`.
    case literal(JSON)
    /// A string literal: its value and its text between the quotes (escapes kept, for `States.Format`).
    case string(String, raw: String)
    case path(Path)
    case call(IntrinsicCall)
}
