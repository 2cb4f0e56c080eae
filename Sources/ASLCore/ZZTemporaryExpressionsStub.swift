// TEMPORARY: stands in for ASLExpressions' Path, PayloadTemplate and IntrinsicCall until they land on main.
import BatonJSON
import ASLExpressions
import Foundation

public struct PathSyntaxError: Error, Sendable { var message: String }
public struct PayloadTemplateError: Error, Sendable { var message: String }

public struct ExpressionScope: Sendable {
    public var input: JSON
    public var context: JSON
    public var variables: [String: JSON]
    init(input: JSON, context: JSON = [:], variables: [String: JSON] = [:]) {
        self.input = input; self.context = context; self.variables = variables
    }
}

public struct Path: Sendable {
    public var text: String
    public var root: Bool
    public var keys: [String]
    init(_ text: String) throws(PathSyntaxError) {
        self.text = text
        if text.hasPrefix("$$") { root = false } else if text.hasPrefix("$") { root = true } else {
            throw PathSyntaxError(message: "a path must start with $")
        }
        let rest = text.dropFirst(root ? 1 : 2)
        if rest.isEmpty { keys = []; return }
        guard rest.hasPrefix(".") else { throw PathSyntaxError(message: "bad path") }
        keys = rest.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
    public var isReferencePath: Bool { true }
    public func select(in scope: ExpressionScope) -> JSON? {
        var value = root ? scope.input : scope.context
        for key in keys { guard let next = value[key] else { return nil }; value = next }
        return value
    }
    public func value(in scope: ExpressionScope) throws(ASLError) -> JSON {
        guard let v = select(in: scope) else { throw ASLError(.runtime, "Invalid path '\(text)' : No results for path") }
        return v
    }
    public func setting(_ value: JSON, in document: JSON) throws(ASLError) -> JSON {
        func set(_ doc: JSON, _ keys: ArraySlice<String>) throws(ASLError) -> JSON {
            guard let key = keys.first else { return value }
            var object: JSONObject
            switch doc {
            case .object(let o): object = o
            default: throw ASLError(.resultPathMatchFailure, "cannot set")
            }
            object[key] = try set(object[key] ?? .object([:]), keys.dropFirst())
            return .object(object)
        }
        return try set(document, keys[...])
    }
}

public struct IntrinsicCall: Sendable {
    init(_ text: String) throws(PathSyntaxError) { throw PathSyntaxError(message: "intrinsics not available") }
    public func evaluate(in scope: ExpressionScope, random: inout SeededRandom) throws(ASLError) -> JSON { .null }
}

public struct PayloadTemplate: Sendable {
    public enum Node: Sendable { case literal(JSON); case path(Path); case object([(String, Node)]); case array([Node]) }
    public var root: Node
    init(_ template: JSON) throws(PayloadTemplateError) {
        func build(_ j: JSON) throws(PayloadTemplateError) -> Node {
            switch j {
            case .object(let o):
                var members: [(String, Node)] = []
                for (k, v) in o {
                    if k.hasSuffix(".$"), case .string(let s) = v {
                        do { members.append((String(k.dropLast(2)), .path(try Path(s)))) } catch { throw PayloadTemplateError(message: error.message) }
                    } else { members.append((k, try build(v))) }
                }
                return .object(members)
            case .array(let a):
                var nodes: [Node] = []
                for e in a { nodes.append(try build(e)) }
                return .array(nodes)
            default: return .literal(j)
            }
        }
        root = try build(template)
    }
    public func evaluate(in scope: ExpressionScope, random: inout SeededRandom) throws(ASLError) -> JSON {
        func eval(_ n: Node) throws(ASLError) -> JSON {
            switch n {
            case .literal(let j): return j
            case .path(let p): return try p.value(in: scope)
            case .object(let m):
                var o = JSONObject(minimumCapacity: m.count)
                for (k, v) in m { o[k] = try eval(v) }
                return .object(o)
            case .array(let a):
                var r: [JSON] = []
                for e in a { r.append(try eval(e)) }
                return .array(r)
            }
        }
        return try eval(root)
    }
}

public struct ChoiceRuleErrors: Error, Sendable { var messages: [String] = [] }
public struct ChoiceRule: Sendable {
    public var variable: Path
    public var equals: JSON
    public static func parseBranch(_ json: JSON, location: String) throws(ChoiceRuleErrors) -> ChoiceBranch {
        guard let v = json["Variable"]?.stringValue, let p = try? Path(v), let next = json["Next"]?.stringValue else { throw ChoiceRuleErrors() }
        let eq = json["StringEquals"] ?? json["NumericEquals"] ?? json["BooleanEquals"] ?? .null
        return ChoiceBranch(rule: ChoiceRule(variable: p, equals: eq), next: next)
    }
    public func evaluate(in scope: ExpressionScope) throws(ASLError) -> Bool { variable.select(in: scope) == equals }
}
public struct ChoiceBranch: Sendable { var rule: ChoiceRule; var next: String }
public enum ASLTimestamp { static func parse(_ s: String) -> Date? { ISO8601DateFormatter().date(from: s) } }
