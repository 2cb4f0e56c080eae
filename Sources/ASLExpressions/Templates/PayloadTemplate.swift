// Payload templates (`Parameters`, `ItemSelector`, `ResultSelector`): a JSON value in which every
// object key ending in `.$` takes its value from a path, a context path or an intrinsic call, and
// loses the `.$`. The template is compiled once into a tree whose static parts are kept as ready
// JSON values, so evaluating it only builds the objects that hold dynamic entries.

import BatonJSON

/// A `Parameters`/`ItemSelector`/`ResultSelector` template, parsed once.
public struct PayloadTemplate: Sendable {
    /// The template as written.
    public let template: JSON
    let root: TemplateNode

    /// Parses `template`; throws every bad `.$` entry at once, each with its location.
    public init(_ template: JSON) throws(PayloadTemplateError) {
        var problems: [PayloadTemplateError.Problem] = []
        let root = TemplateNode.compile(template, pointer: "", problems: &problems)
        guard problems.isEmpty else { throw PayloadTemplateError(problems: problems) }
        self.template = template
        self.root = root
    }

    /// Whether the template has no `.$` entries at all (it then evaluates to itself).
    public var isStatic: Bool {
        if case .literal = root { return true }
        return false
    }

    /// Every path the template reads, including those inside intrinsic calls.
    public var paths: [Path] { root.paths }

    /// Builds the payload. Throws `States.Runtime` when a path selects nothing and
    /// `States.IntrinsicFailure` when an intrinsic call fails.
    public func evaluate(in scope: ExpressionScope, random: inout SeededRandom) throws(ASLError) -> JSON {
        try root.evaluate(in: scope, random: &random)
    }
}

/// The problems found in a payload template.
public struct PayloadTemplateError: Error, Sendable, CustomStringConvertible {
    /// One bad entry: where it is (a JSON pointer relative to the template, e.g. `/a/b.$`) and what is wrong.
    public struct Problem: Sendable, Hashable {
        /// A JSON pointer relative to the template, e.g. `/a/b.$`.
        public var location: String
        /// What is wrong, in words.
        public var message: String
        /// A problem at `location`.
        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }
    }

    /// Every problem, in template order.
    public var problems: [Problem]

    /// An error holding `problems`.
    public init(problems: [Problem]) { self.problems = problems }

    /// One line per problem: `location: message`.
    public var description: String {
        problems.map { "\($0.location): \($0.message)" }.joined(separator: "\n")
    }
}

/// A compiled template.
indirect enum TemplateNode: Sendable {
    /// A part with no `.$` entries: used as it is.
    case literal(JSON)
    case object([(key: String, node: TemplateNode)])
    case array([TemplateNode])
    case path(Path, field: String)
    case call(IntrinsicCall, field: String)

    static func compile(_ value: JSON, pointer: String, problems: inout [PayloadTemplateError.Problem]) -> TemplateNode {
        switch value {
        case .object(let object):
            var entries: [(key: String, node: TemplateNode)] = []
            entries.reserveCapacity(object.count)
            var dynamic = false
            for (key, member) in object {
                let location = pointer + "/" + JSONPointer.escape(key)
                if key.hasSuffix(".$"), key.count > 2 {
                    dynamic = true
                    let name = String(key.dropLast(2))
                    entries.append((name, compileDynamic(member, field: key, location: location, problems: &problems)))
                } else {
                    let node = compile(member, pointer: location, problems: &problems)
                    if case .literal = node {} else { dynamic = true }
                    entries.append((key, node))
                }
            }
            return dynamic ? .object(entries) : .literal(value)
        case .array(let array):
            var nodes: [TemplateNode] = []
            var dynamic = false
            for (i, element) in array.enumerated() {
                let node = compile(element, pointer: pointer + "/\(i)", problems: &problems)
                if case .literal = node {} else { dynamic = true }
                nodes.append(node)
            }
            return dynamic ? .array(nodes) : .literal(value)
        default:
            return .literal(value)
        }
    }

    static func compileDynamic(_ value: JSON, field: String, location: String, problems: inout [PayloadTemplateError.Problem]) -> TemplateNode {
        guard case .string(let text) = value else {
            problems.append(.init(location: location, message: "The value for the field '\(field)' must be a string holding a JSONPath or an intrinsic function call, not \(value.typeName == "array" || value.typeName == "object" ? "an" : "a") \(value.typeName)"))
            return .literal(.null)
        }
        if text.hasPrefix("$") {
            do {
                return .path(try Path(text), field: field)
            } catch {
                problems.append(.init(location: location, message: "The value for the field '\(field)' must be a valid JSONPath: \(error.message)"))
            }
        } else if text.hasPrefix("States.") {
            do {
                return .call(try IntrinsicCall(text), field: field)
            } catch {
                problems.append(.init(location: location, message: "The value for the field '\(field)' must be a valid intrinsic function call: \(error.message)"))
            }
        } else {
            problems.append(.init(location: location, message: "The value for the field '\(field)' must be a valid JSONPath or a valid intrinsic function call"))
        }
        return .literal(.null)
    }

    var paths: [Path] {
        switch self {
        case .literal: []
        case .object(let entries): entries.flatMap(\.node.paths)
        case .array(let nodes): nodes.flatMap(\.paths)
        case .path(let path, _): [path]
        case .call(let call, _): call.paths
        }
    }

    func evaluate(in scope: ExpressionScope, random: inout SeededRandom) throws(ASLError) -> JSON {
        switch self {
        case .literal(let value):
            return value
        case .path(let path, let field):
            guard let value = path.select(in: scope) else { throw path.notFound(field: field, scope: scope) }
            return value
        case .call(let call, let field):
            return try call.evaluate(in: scope, random: &random, field: field)
        case .object(let entries):
            var object = JSONObject(minimumCapacity: entries.count)
            for entry in entries {
                object[entry.key] = try entry.node.evaluate(in: scope, random: &random)
            }
            return .object(object)
        case .array(let nodes):
            var array: [JSON] = []
            array.reserveCapacity(nodes.count)
            for node in nodes { array.append(try node.evaluate(in: scope, random: &random)) }
            return .array(array)
        }
    }
}
