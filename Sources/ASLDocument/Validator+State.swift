// Validation of one state: its Type, its query language, the fields its type allows in that language
// (with the mixed-language advice), Next/End, the fields common to several types, then the type's own checks.
import BatonJSON

extension ValidationRun {
    /// Validates a state and returns its transitions (Next, Default, Choices' and Catch's Next).
    func validateState(_ state: JSONObject, named name: String, at pointer: String, language inherited: QueryLanguage)
        -> [Transition]
    {
        var transitions: [Transition] = []
        var language = inherited
        if let value = state["QueryLanguage"] {
            language = queryLanguage(value, at: pointer.pointer("QueryLanguage"), inherited: inherited) ?? inherited
        }
        if let comment = state["Comment"], comment.stringValue == nil {
            report(pointer.pointer("Comment"), "Comment must be a string, not \(comment.typeName)")
        }

        guard require(state, "Type", at: pointer, "Every state"), let typeName = string(state, "Type", at: pointer) else {
            collectNext(state, at: pointer, into: &transitions)
            return transitions
        }
        guard let type = StateType(rawValue: typeName) else {
            let names = StateType.allCases.map(\.rawValue).joined(separator: ", ")
            report(pointer.pointer("Type"), "unknown state type \"\(typeName)\"; the types are \(names)")
            collectNext(state, at: pointer, into: &transitions)
            return transitions
        }

        rejectUnknownFields(state, allowed: type.allowedFields(language), at: pointer, in: "A \(typeName) state") { key in
            self.fieldAdvice(key, type: type, language: language)
        }
        if let assign = state["Assign"], type.allowedFields(language).contains("Assign") {
            validateAssign(assign, at: pointer.pointer("Assign"), language: language)
        }

        validateNextAndEnd(state, type: type, at: pointer, into: &transitions)
        if language == .jsonPath {
            validateCommonPaths(state, type: type, at: pointer)
            rejectJSONataExpressions(state, at: pointer)
        } else {
            validateCommonJSONata(state, at: pointer)
            checkStatesAvailability(state, type: type, at: pointer)
        }
        if type.hasErrorHandling {
            validateRetry(state, at: pointer, language: language)
            validateCatch(state, at: pointer, language: language, into: &transitions)
        }

        switch type {
        case .pass: if let result = state["Result"] { warnStaticTemplate(result, at: pointer.pointer("Result")) }
        case .task: validateTask(state, at: pointer, language: language)
        case .choice: validateChoice(state, at: pointer, language: language, into: &transitions)
        case .wait: validateWait(state, at: pointer, language: language)
        case .succeed: break
        case .fail: validateFail(state, at: pointer, language: language)
        case .parallel: validateParallel(state, at: pointer, language: language)
        case .map: validateMap(state, at: pointer, language: language)
        }
        return transitions
    }

    /// Advice for a field the state type does not have in this query language.
    private func fieldAdvice(_ key: String, type: StateType, language: QueryLanguage) -> String? {
        let otherLanguage: QueryLanguage = language == .jsonPath ? .jsonata : .jsonPath
        guard type.allowedFields(otherLanguage).contains(key) else {
            if key == "Next" || key == "End" {
                return "a \(type.rawValue) state cannot have \(key)" + (type == .choice ? "; use Default or the Next of a choice rule" : "; it ends the branch it is in")
            }
            if key == "Assign" { return "a \(type.rawValue) state cannot have Assign" }
            return nil
        }
        switch language {
        case .jsonPath:
            let instead = jsonataOnlyFields[key].map { " (or use \($0))" } ?? ""
            return "\(key) is a JSONata field and this state uses JSONPath; set \"QueryLanguage\": \"JSONata\" to use it\(instead)"
        case .jsonata:
            let instead = jsonPathOnlyFields[key].map { "; use \($0)" } ?? ""
            return "\(key) is a JSONPath field and cannot be used in a JSONata state\(instead)"
        }
    }

    private func collectNext(_ state: JSONObject, at pointer: String, into transitions: inout [Transition]) {
        if case .string(let next)? = state["Next"] {
            transitions.append(Transition(target: next, location: pointer.pointer("Next")))
        }
    }

    private func validateNextAndEnd(_ state: JSONObject, type: StateType, at pointer: String, into transitions: inout [Transition]) {
        guard type.needsTransition else { return }
        let next = string(state, "Next", at: pointer)
        let end = boolean(state, "End", at: pointer)
        if let next { transitions.append(Transition(target: next, location: pointer.pointer("Next"))) }
        switch (state["Next"] != nil, state["End"] != nil) {
        case (true, true):
            report(pointer.pointer("End"), "a state cannot have both Next and End; keep one")
        case (false, false):
            report(pointer, "the \(type.rawValue) state has neither Next nor End; add \"Next\": \"<state>\" or \"End\": true")
        case (false, true):
            if end == false {
                report(pointer.pointer("End"), "End is false and there is no Next; set \"End\": true or add Next")
            }
        case (true, false):
            break
        }
    }

    /// InputPath, OutputPath, Parameters, ResultSelector, ResultPath: the JSONPath data-flow fields.
    private func validateCommonPaths(_ state: JSONObject, type: StateType, at pointer: String) {
        let allowed = type.allowedFields(.jsonPath)
        let state = state.filter { allowed.contains($0.key) }  // unknown fields are reported once, as unknown
        checkPathField(state, "InputPath", at: pointer, kind: .path, nullable: true)
        checkPathField(state, "OutputPath", at: pointer, kind: .path, nullable: true)
        checkPathField(state, "ResultPath", at: pointer, kind: .resultPath, nullable: true)
        if let parameters = state["Parameters"] {
            checkPayloadTemplate(parameters, at: pointer.pointer("Parameters"), field: "Parameters")
        }
        if let selector = state["ResultSelector"] {
            if selector.objectValue == nil {
                report(pointer.pointer("ResultSelector"), "ResultSelector must be an object, not \(selector.typeName)")
            } else {
                checkPayloadTemplate(selector, at: pointer.pointer("ResultSelector"), field: "ResultSelector")
            }
        }
    }

    private func validateCommonJSONata(_ state: JSONObject, at pointer: String) {
        if let arguments = state["Arguments"] {
            if arguments.objectValue == nil, !isJSONataExpression(arguments) {
                report(pointer.pointer("Arguments"), "Arguments must be an object or a {% %} expression, not \(arguments.typeName)")
            }
            checkJSONataTemplate(arguments, at: pointer.pointer("Arguments"))
        }
        if let output = state["Output"] { checkJSONataTemplate(output, at: pointer.pointer("Output")) }
    }

    func validateAssign(_ assign: JSON, at pointer: String, language: QueryLanguage) {
        if !options.allowVariables {
            notYetSupported(pointer, "Assign (workflow variables)")
            return
        }
        guard case .object(let members) = assign else {
            report(pointer, "Assign must be an object, not \(assign.typeName)")
            return
        }
        for (key, value) in members {
            let name = key.hasSuffix(".$") && language == .jsonPath ? String(key.dropLast(2)) : key
            if !isVariableName(name) {
                report(pointer.pointer(key), "\"\(name)\" is not a valid variable name (a letter or _ followed by letters, digits or _)")
            }
            if language == .jsonPath {
                checkPayloadTemplate([key: value], at: pointer, field: "Assign")
            } else {
                checkJSONataTemplate(value, at: pointer.pointer(key))
            }
        }
    }

    func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
