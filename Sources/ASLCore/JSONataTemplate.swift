// A JSONata-mode field value: any JSON in which strings of the form `{% … %}` are JSONata expressions.
// The expressions are parsed once, when the StateMachine is built; evaluating the template evaluates each
// expression with `$states` and the visible workflow variables bound and rebuilds the JSON around them.
// Failures become `States.QueryEvaluationError` with the cause texts AWS writes (the field is named by its
// path inside the state, e.g. `Output/result`).

import Foundation
import BatonJSON
import ASLExpressions
import JSONata

/// One compiled `{% … %}` expression, with the text AWS quotes in error causes.
public struct JSONataField: Sendable {
    /// The expression text between `{%` and `%}`, trimmed.
    public let text: String
    /// The parsed expression.
    public let expression: JSONataExpression

    /// Parses the inside of a `{% … %}` string.
    init(_ text: String) throws(JSONataError) {
        self.text = text
        expression = try JSONataExpression(text)
    }

    /// The expression inside `value` when it is a `{% … %}` string.
    static func inside(_ value: JSON) -> String? {
        guard case .string(let s) = value, s.hasPrefix("{%"), s.hasSuffix("%}"), s.count >= 4 else { return nil }
        return String(s.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A JSONata-mode field: literal JSON with `{% … %}` expressions anywhere inside, compiled once.
public indirect enum JSONataTemplate: Sendable {
    /// No expression inside: the value as written.
    case literal(JSON)
    /// A whole `{% … %}` string.
    case expression(JSONataField)
    /// An object with at least one expression inside.
    case object([(key: String, value: JSONataTemplate)])
    /// An array with at least one expression inside.
    case array([JSONataTemplate])

    /// Compiles `json`; throws the first syntax error with the pointer (below the field) where it is.
    init(_ json: JSON) throws(JSONataTemplateError) {
        switch json {
        case .string:
            guard let text = JSONataField.inside(json) else { self = .literal(json); return }
            do { self = .expression(try JSONataField(text)) } catch { throw JSONataTemplateError(pointer: "", error: error) }
        case .object(let members):
            var compiled: [(key: String, value: JSONataTemplate)] = []
            var anyExpression = false
            for (key, value) in members {
                do {
                    let template = try JSONataTemplate(value)
                    if case .literal = template {} else { anyExpression = true }
                    compiled.append((key, template))
                } catch {
                    throw JSONataTemplateError(pointer: "/" + key + error.pointer, error: error.error)
                }
            }
            self = anyExpression ? .object(compiled) : .literal(json)
        case .array(let elements):
            var compiled: [JSONataTemplate] = []
            var anyExpression = false
            for (index, value) in elements.enumerated() {
                do {
                    let template = try JSONataTemplate(value)
                    if case .literal = template {} else { anyExpression = true }
                    compiled.append(template)
                } catch {
                    throw JSONataTemplateError(pointer: "/\(index)" + error.pointer, error: error.error)
                }
            }
            self = anyExpression ? .array(compiled) : .literal(json)
        default:
            self = .literal(json)
        }
    }

    /// Whether the template is one `{% … %}` expression (its result is the field's value as is).
    var isExpression: Bool {
        if case .expression = self { return true }
        return false
    }

    /// Evaluates the template; `field` names it in error causes (`Output`, `Arguments/FunctionName`).
    func evaluate(field: String, in scope: JSONataScope) throws(ASLError) -> JSON {
        switch self {
        case .literal(let json):
            return json
        case .expression(let compiled):
            guard let value = try scope.evaluate(compiled, field: field) else {
                throw JSONataScope.queryError("The JSONata expression '\(compiled.text)' specified for the field '\(field)' returned nothing (undefined).")
            }
            return value
        case .object(let members):
            var object = JSONObject(minimumCapacity: members.count)
            for (key, value) in members {
                object[key] = try value.evaluate(field: field + "/" + key, in: scope)
            }
            return .object(object)
        case .array(let elements):
            var array: [JSON] = []
            array.reserveCapacity(elements.count)
            for (index, value) in elements.enumerated() {
                array.append(try value.evaluate(field: field + "/\(index)", in: scope))
            }
            return .array(array)
        }
    }

    /// Whether any expression inside mentions `text` (e.g. `$states.context`), to build that value only when needed.
    func mentions(_ text: String) -> Bool {
        switch self {
        case .literal: false
        case .expression(let compiled): compiled.text.contains(text)
        case .object(let members): members.contains { $0.value.mentions(text) }
        case .array(let elements): elements.contains { $0.mentions(text) }
        }
    }
}

/// A `{% … %}` expression that does not parse, and where it is below the field.
struct JSONataTemplateError: Error {
    /// JSON pointer below the field (`""` for the field itself).
    var pointer: String
    /// The parser's error.
    var error: JSONataError
}

/// What a JSONata-mode expression sees: `$states` and the workflow variables, plus the time and random seed of
/// the step (JSONata's `$now()`, `$millis()`, `$random()` and Step Functions' `$uuid()` read them, never a clock).
struct JSONataScope {
    /// `$states`: `input`, `context`, and where available `result` and `errorOutput`.
    var states: JSONObject
    /// The workflow variables visible to the state.
    var variables: JSONObject
    /// The time and seed of this evaluation.
    var environment: JSONataEnvironment

    /// Evaluates one expression; nil when it is undefined.
    func evaluate(_ compiled: JSONataField, field: String) throws(ASLError) -> JSON? {
        var bindings = [String: JSON](minimumCapacity: variables.count + 1)
        for (name, value) in variables { bindings[name] = value }
        bindings["states"] = .object(states)
        let result: JSONataResult
        do {
            result = try compiled.expression.evaluateResult(input: nil, bindings: bindings, environment: environment)
        } catch {
            throw Self.queryError("The JSONata expression '\(compiled.text)' specified for the field '\(field)' threw an error during evaluation. \(error.code): \(error.message)")
        }
        switch result {
        case .value(let value): return value
        case .undefined: return nil
        case .function:
            throw Self.queryError("The JSONata expression '\(compiled.text)' specified for the field '\(field)' returned an unsupported result type.")
        }
    }

    /// A `States.QueryEvaluationError` with this cause (the run adds the state prefix).
    static func queryError(_ cause: String) -> ASLError { ASLError(.queryEvaluationError, cause) }
}
