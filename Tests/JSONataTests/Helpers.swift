import BatonJSON
import Foundation
import JSONata

/// Evaluates `expression` against `input` (JSON text, or no input) and returns the result as compact JSON
/// text, `"undefined"` for no result, or `"error CODE"`.
func run(_ expression: String, _ input: String? = nil, bindings: [String: JSON] = [:],
         environment: JSONataEnvironment = JSONataEnvironment()) -> String {
    do throws(JSONataError) {
        let expr = try JSONataExpression(expression)
        let value = input.map { try! JSON(parsing: $0) }
        guard let result = try expr.evaluate(input: value, bindings: bindings, environment: environment) else { return "undefined" }
        return result.serialized()
    } catch {
        return "error \(error.code)"
    }
}

/// A small document used by many tests.
let shop = #"""
{"Account":{"Name":"Firefly","Order":[
 {"OrderID":"order103","Product":[{"Name":"Bowler Hat","Price":34.45,"Quantity":2,"Tags":["hat","black"]},
                                  {"Name":"Trilby hat","Price":21.67,"Quantity":1,"Tags":["hat"]}]},
 {"OrderID":"order104","Product":[{"Name":"Bowler Hat","Price":34.45,"Quantity":4,"Tags":["hat"]},
                                  {"Name":"Cloak","Price":107.99,"Quantity":1,"Tags":[]}]}]}}
"""#
