// Choice states: the list of rules (their shape is checked by ASLChoice's parser, which reports every
// problem with its location), each rule's Next, Default, and the JSONata form (`Condition`).
import BatonJSON

extension ValidationRun {
    func validateChoice(_ state: JSONObject, at pointer: String, language: QueryLanguage, into transitions: inout [Transition]) {
        if let target = string(state, "Default", at: pointer) {
            transitions.append(Transition(target: target, location: pointer.pointer("Default")))
        }
        guard require(state, "Choices", at: pointer, "A Choice state"), let choices = array(state, "Choices", at: pointer) else {
            return
        }
        let choicesPointer = pointer.pointer("Choices")
        if choices.isEmpty {
            report(choicesPointer, "Choices must hold at least one rule")
        }
        for (index, value) in choices.enumerated() {
            let rulePointer = choicesPointer.pointer(index)
            guard case .object(var rule) = value else {
                report(rulePointer, "a choice rule must be an object, not \(value.typeName)")
                continue
            }
            if case .string(let target)? = rule["Next"] {
                transitions.append(Transition(target: target, location: rulePointer.pointer("Next")))
            }
            if let assign = rule.removeValue(forKey: "Assign") {
                validateAssign(assign, at: rulePointer.pointer("Assign"), language: language)
            }
            switch language {
            case .jsonPath:
                if rule.removeValue(forKey: "Output") != nil {
                    report(rulePointer.pointer("Output"), "Output is a JSONata field and this state uses JSONPath; set \"QueryLanguage\": \"JSONata\" to use it")
                }
                if options.allowVariables || !reportVariableReferences(in: .object(rule), at: rulePointer) {
                    validateChoiceRule(.object(rule), at: rulePointer)
                }
            case .jsonata:
                validateJSONataChoiceRule(rule, at: rulePointer)
            }
        }
    }

    /// Reports every `$name` reference in a rule's Variable and `…Path` operands; whether there was one.
    private func reportVariableReferences(in rule: JSON, at pointer: String) -> Bool {
        var found = false
        switch rule {
        case .object(let members):
            for (key, value) in members {
                if key == "Variable" || key.hasSuffix("Path"), case .string(let path) = value, let name = variableReference(path) {
                    notYetSupported(pointer.pointer(key), "the workflow variable reference \(name)")
                    found = true
                } else if key == "And" || key == "Or" || key == "Not" {
                    if reportVariableReferences(in: value, at: pointer.pointer(key)) { found = true }
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() where reportVariableReferences(in: element, at: pointer.pointer(index)) {
                found = true
            }
        default:
            break
        }
        return found
    }

    private func validateJSONataChoiceRule(_ rule: JSONObject, at pointer: String) {
        rejectUnknownFields(rule, allowed: ["Condition", "Next", "Output", "Comment"], at: pointer, in: "A JSONata choice rule") { key in
            key == "Variable" || key == "And" || key == "Or" || key == "Not" || isComparisonOperatorName(key)
                ? "\(key) is a JSONPath choice rule field; a JSONata rule uses Condition with a {% %} expression"
                : nil
        }
        if require(rule, "Next", at: pointer, "A choice rule"), let next = rule["Next"], next.stringValue == nil {
            report(pointer.pointer("Next"), "Next must be a state name (a string), not \(next.typeName)")
        }
        if require(rule, "Condition", at: pointer, "A JSONata choice rule"), let condition = rule["Condition"] {
            if case .bool = condition {
            } else if isJSONataExpression(condition) {
                checkJSONataTemplate(condition, at: pointer.pointer("Condition"))
            } else {
                report(pointer.pointer("Condition"), "Condition must be a {% %} expression or a boolean")
            }
        }
        if let output = rule["Output"] { checkJSONataTemplate(output, at: pointer.pointer("Output")) }
    }
}

/// Whether `key` names a JSONPath Choice comparison (`StringEquals`, `NumericLessThanPath`, `IsNull`, …).
func isComparisonOperatorName(_ key: String) -> Bool {
    let families = ["String", "Numeric", "Boolean", "Timestamp"]
    if key.hasPrefix("Is") { return ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"].contains(key) }
    return families.contains { key.hasPrefix($0) } || key == "StringMatches"
}
