// Evaluation that tells a function result apart: `evaluate` turns a function into `""` (as JSONata's JSON
// output does), but a host such as Step Functions' JSONata mode must reject it ("unsupported result type").

import BatonJSON

/// What an expression evaluated to.
public enum JSONataResult: Sendable {
    /// A JSON value.
    case value(JSON)
    /// Nothing (JSONata's undefined).
    case undefined
    /// A function (a lambda or a built-in), which has no JSON form.
    case function
}

extension JSONataExpression {
    /// Evaluates like `evaluate(input:bindings:environment:)`, telling undefined and function results apart.
    public func evaluateResult(
        input: JSON?, bindings: [String: JSON] = [:], environment: JSONataEnvironment = .init()
    ) throws(JSONataError) -> JSONataResult {
        var vars: [String: JValue] = [:]
        for (k, v) in bindings { vars[k] = JValue(json: v) }
        guard let value = try evaluateValue(input.map(JValue.init(json:)), bindings: vars, environment: environment) else {
            return .undefined
        }
        if case .function = value { return .function }
        return .value(value.toJSON())
    }
}
