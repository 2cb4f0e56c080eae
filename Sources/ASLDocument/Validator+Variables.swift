// Validation of workflow variables across the definition, a walk of its own after the per-state checks:
// the names an `Assign` gives (length, the reserved `states`), and every JSONPath-mode `$name` reference,
// which must name a variable that some state can have assigned before it is read. A block (the top level,
// a Parallel branch, an inline Map's item processor) sees what its own states assign (in a state's Assign,
// a Catcher's or a Choice rule's) and what the enclosing blocks assign; a DISTRIBUTED Map's item processor
// runs as child executions and sees only its own. The check is deliberately not flow-sensitive (a variable
// assigned anywhere in scope counts), so it never rejects a definition that can run. JSONata expressions are
// not checked here: AWS accepts an unknown `$name` there and fails at run time.
import ASLExpressions
import BatonJSON

extension ValidationRun {
    /// The longest variable name AWS accepts.
    static let maxVariableNameLength = 80

    /// Checks variable names and JSONPath-mode references of the whole definition.
    func validateVariables(_ root: JSONObject, language: QueryLanguage) {
        guard options.allowVariables else { return }
        validateVariables(inBlock: root, at: "", language: language, outer: [], hiddenOuter: [])
    }

    /// `outer`: what enclosing blocks assign and this block can read; `hiddenOuter`: what enclosing blocks
    /// assign but this block cannot read (beyond a DISTRIBUTED Map), for a better message.
    private func validateVariables(inBlock block: JSONObject, at pointer: String, language: QueryLanguage,
                                   outer: Set<String>, hiddenOuter: Set<String>) {
        guard case .object(let states)? = block["States"] else { return }
        let statesPointer = pointer.pointer("States")
        var visible = outer
        for (name, value) in states {
            guard case .object(let state) = value else { continue }
            visible.formUnion(assignedNames(state, at: statesPointer.pointer(name), language: stateLanguage(state, language)))
        }
        for (name, value) in states {
            guard case .object(let state) = value else { continue }
            let here = statesPointer.pointer(name)
            let stateLanguage = stateLanguage(state, language)
            if stateLanguage == .jsonPath {
                for (location, variable) in variableReferences(inState: state, at: here) where !visible.contains(variable) {
                    let why = hiddenOuter.contains(variable)
                        ? "it is assigned outside this DISTRIBUTED Map, whose item processor cannot read the variables of the states around it"
                        : "no state that runs before this one in its scope assigns it"
                    report(location, "the variable $\(variable) cannot have been assigned when it is read: \(why)")
                }
            }
            for (key, child, distributed) in nestedBlocks(state, at: here) {
                validateVariables(inBlock: child, at: key, language: stateLanguage,
                                  outer: distributed ? [] : visible,
                                  hiddenOuter: distributed ? visible.union(hiddenOuter) : hiddenOuter)
            }
        }
    }

    private func stateLanguage(_ state: JSONObject, _ inherited: QueryLanguage) -> QueryLanguage {
        state["QueryLanguage"]?.stringValue.flatMap(QueryLanguage.init(rawValue:)) ?? inherited
    }

    /// The Parallel branches and the Map item processor of a state, with their pointers.
    private func nestedBlocks(_ state: JSONObject, at pointer: String) -> [(String, JSONObject, Bool)] {
        var blocks: [(String, JSONObject, Bool)] = []
        if case .array(let branches)? = state["Branches"] {
            for (index, branch) in branches.enumerated() {
                if case .object(let object) = branch { blocks.append((pointer.pointer("Branches").pointer(index), object, false)) }
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if case .object(let processor)? = state[key] {
                let distributed = processor["ProcessorConfig"]?["Mode"]?.stringValue == "DISTRIBUTED"
                blocks.append((pointer.pointer(key), processor, distributed))
            }
        }
        return blocks
    }

    /// The names a state's Assign, its Catchers' and its Choice rules' assign; reports bad names.
    private func assignedNames(_ state: JSONObject, at pointer: String, language: QueryLanguage) -> Set<String> {
        var names: Set<String> = []
        func collect(_ assign: JSON?, at location: String) {
            guard case .object(let members)? = assign else { return }
            for key in members.keys {
                let name = language == .jsonPath && key.hasSuffix(".$") ? String(key.dropLast(2)) : key
                names.insert(name)
                if name == "states" {
                    report(location.pointer(key), "\"states\" is a reserved variable name ($states holds the state's input, result and context in JSONata)")
                } else if name.count > Self.maxVariableNameLength {
                    report(location.pointer(key), "the variable name is \(name.count) characters long; the limit is \(Self.maxVariableNameLength)")
                }
            }
        }
        collect(state["Assign"], at: pointer.pointer("Assign"))
        for (key, list) in [("Catch", state["Catch"]), ("Choices", state["Choices"])] {
            guard case .array(let elements)? = list else { continue }
            for (index, element) in elements.enumerated() {
                collect(element["Assign"], at: pointer.pointer(key).pointer(index).pointer("Assign"))
            }
        }
        return names
    }

    /// Every JSONPath-mode `$name` reference in a state (not in its nested blocks): path fields, `.$` entries of
    /// payload templates and Assign (intrinsic arguments included), Choice rules and Catchers.
    private func variableReferences(inState state: JSONObject, at pointer: String) -> [(String, String)] {
        var found: [(String, String)] = []
        for (key, value) in state {
            let here = pointer.pointer(key)
            switch key {
            case "ItemProcessor", "Iterator", "Branches":
                continue
            case "Parameters", "ResultSelector", "ItemSelector", "Assign":
                templateReferences(value, at: here, into: &found)
            case "ItemBatcher":
                guard case .object(let batcher) = value else { continue }
                for (field, member) in batcher {
                    if field == "BatchInput" {
                        templateReferences(member, at: here.pointer(field), into: &found)
                    } else if field.hasSuffix("Path") {
                        expressionReferences(member, at: here.pointer(field), into: &found)
                    }
                }
            case "Choices":
                guard case .array(let rules) = value else { continue }
                for (index, rule) in rules.enumerated() { ruleReferences(rule, at: here.pointer(index), into: &found) }
            case "Catch":
                guard case .array(let catchers) = value else { continue }
                for (index, catcher) in catchers.enumerated() {
                    templateReferences(catcher["Assign"] ?? .null, at: here.pointer(index).pointer("Assign"), into: &found)
                }
            default:
                if key.hasSuffix("Path") { expressionReferences(value, at: here, into: &found) }
            }
        }
        return found
    }

    private func ruleReferences(_ rule: JSON, at pointer: String, into found: inout [(String, String)]) {
        guard case .object(let members) = rule else { return }
        for (key, value) in members {
            let here = pointer.pointer(key)
            switch key {
            case "And", "Or":
                for (index, nested) in (value.arrayValue ?? []).enumerated() { ruleReferences(nested, at: here.pointer(index), into: &found) }
            case "Not":
                ruleReferences(value, at: here, into: &found)
            case "Assign":
                templateReferences(value, at: here, into: &found)
            default:
                if key == "Variable" || key.hasSuffix("Path") { expressionReferences(value, at: here, into: &found) }
            }
        }
    }

    private func templateReferences(_ template: JSON, at pointer: String, into found: inout [(String, String)]) {
        switch template {
        case .object(let members):
            for (key, value) in members {
                if key.hasSuffix(".$") {
                    expressionReferences(value, at: pointer.pointer(key), into: &found)
                } else {
                    templateReferences(value, at: pointer.pointer(key), into: &found)
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { templateReferences(element, at: pointer.pointer(index), into: &found) }
        default:
            return
        }
    }

    /// The variables a path or an intrinsic call reads (names without the `$`).
    private func expressionReferences(_ value: JSON, at pointer: String, into found: inout [(String, String)]) {
        guard case .string(let text) = value else { return }
        let references = text.hasPrefix("States.") ? intrinsicVariableReferences(text) : variableReference(text).map { [$0] } ?? []
        for reference in references { found.append((pointer, String(reference.dropFirst()))) }
    }
}
