// The JSONata rules of the validator: `{% %}` expressions parse (errors carry the pointer of the field and
// the position in the expression), a JSONPath state holds none, and `$states.result` / `$states.errorOutput`
// appear only in the fields where Step Functions makes them available. (Which fields each query language
// allows is in StateFields.swift.)
import BatonJSON
import JSONata

extension ValidationRun {
    /// The JSONata module's parser as a syntax checker: nil when `text` parses, else the error with its position.
    static func parseJSONata(_ text: String) -> String? {
        do {
            _ = try JSONataExpression(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// The fields a JSONPath-mode state evaluates as a number or a timestamp (besides its `…Path` fields).
    static let jsonPathValueFields: Set<String> = [
        "Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds", "MaxConcurrency", "ToleratedFailureCount",
        "ToleratedFailurePercentage",
    ]

    /// Reports `{% %}` expressions where a JSONPath-mode state evaluates a value: its `…Path` fields, the
    /// `.$` members of its payload templates and `Assign`, and its number and timestamp fields. (Elsewhere such a
    /// string is literal data, as AWS treats it; fields the state cannot have are reported as unknown fields.)
    func rejectJSONataExpressions(_ state: JSONObject, at pointer: String) {
        guard let type = state["Type"]?.stringValue.flatMap(StateType.init(rawValue:)) else { return }
        let allowed = type.allowedFields(.jsonPath)
        for (key, value) in state where allowed.contains(key) {
            if key.hasSuffix("Path") || Self.jsonPathValueFields.contains(key) {
                if isJSONataExpression(value) { reportJSONataInJSONPath(pointer.pointer(key)) }
            } else if ["Parameters", "ResultSelector", "ItemSelector", "Assign"].contains(key) {
                findEvaluatedJSONata(value, at: pointer.pointer(key))
            }
        }
    }

    private func reportJSONataInJSONPath(_ pointer: String) {
        report(pointer, "a {% %} JSONata expression cannot be evaluated in a JSONPath state; set \"QueryLanguage\": \"JSONata\" "
            + "on the state (or at the top of the definition)")
    }

    private func findEvaluatedJSONata(_ value: JSON, at pointer: String) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key.hasSuffix(".$"), isJSONataExpression(member) {
                    reportJSONataInJSONPath(pointer.pointer(key))
                } else {
                    findEvaluatedJSONata(member, at: pointer.pointer(key))
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { findEvaluatedJSONata(element, at: pointer.pointer(index)) }
        default:
            return
        }
    }

    /// `$states.result` is available only in the `Output` and `Assign` of Task, Map and Parallel states, and
    /// `$states.errorOutput` only in a catcher's `Output` and `Assign`.
    func checkStatesAvailability(_ state: JSONObject, type: StateType, at pointer: String) {
        let hasResult = type == .task || type == .map || type == .parallel
        for (key, value) in state {
            switch key {
            case "Comment", "Branches", "ItemProcessor", "Iterator", "Type", "Next", "End", "QueryLanguage":
                continue
            case "Output", "Assign":
                checkStatesReferences(value, at: pointer.pointer(key), result: hasResult, errorOutput: false)
            case "Catch":
                for (index, catcher) in (value.arrayValue ?? []).enumerated() {
                    guard case .object(let members) = catcher else { continue }
                    for (field, member) in members {
                        let allowed = field == "Output" || field == "Assign"
                        checkStatesReferences(member, at: pointer.pointer(key).pointer(index).pointer(field),
                                              result: false, errorOutput: allowed)
                    }
                }
            default:
                checkStatesReferences(value, at: pointer.pointer(key), result: false, errorOutput: false)
            }
        }
    }

    private func checkStatesReferences(_ value: JSON, at pointer: String, result: Bool, errorOutput: Bool) {
        switch value {
        case .string(let s) where isJSONataExpression(value):
            if !result, s.contains("$states.result") {
                report(pointer, "$states.result is not available here; it exists only in the Output and Assign of Task, Map and Parallel states")
            }
            if !errorOutput, s.contains("$states.errorOutput") {
                report(pointer, "$states.errorOutput is not available here; it exists only in the Output and Assign of a Catch")
            }
        case .object(let members):
            for (key, member) in members { checkStatesReferences(member, at: pointer.pointer(key), result: result, errorOutput: errorOutput) }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                checkStatesReferences(element, at: pointer.pointer(index), result: result, errorOutput: errorOutput)
            }
        default:
            return
        }
    }
}
