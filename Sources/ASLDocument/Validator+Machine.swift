// The machine level of validation: the top-level fields, and for the definition and every sub-machine
// (Parallel branch, Map ItemProcessor/Iterator) its StartAt and States, the transitions between its states
// (every target must exist in the same machine) and reachability from StartAt.
import BatonJSON

/// Where a set of states sits.
enum MachineKind {
    case top, branch, itemProcessor, iterator

    var allowedFields: Set<String> {
        switch self {
        case .top: ["StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"]
        case .branch: ["StartAt", "States", "Comment"]
        case .itemProcessor, .iterator: ["StartAt", "States", "Comment", "ProcessorConfig"]
        }
    }

    var name: String {
        switch self {
        case .top: "The state machine"
        case .branch: "A Parallel branch"
        case .itemProcessor: "A Map ItemProcessor"
        case .iterator: "A Map Iterator"
        }
    }
}

/// A transition from a state: its target and the location of the field naming it.
struct Transition {
    var target: String
    var location: String
}

extension ValidationRun {
    func validateTopLevel(_ definition: JSON) {
        guard case .object(let root) = definition else {
            report("", "a state machine definition must be a JSON object, not \(definition.typeName)")
            return
        }
        var language = QueryLanguage.jsonPath
        if let value = root["QueryLanguage"] {
            language = queryLanguage(value, at: "/QueryLanguage", inherited: nil) ?? .jsonPath
        }
        if let version = string(root, "Version", at: ""), version != "1.0" {
            report("/Version", "Version must be \"1.0\", not \"\(version)\"")
        }
        if let timeout = integer(root, "TimeoutSeconds", at: ""), !(1...99_999_999).contains(timeout) {
            report("/TimeoutSeconds", "TimeoutSeconds must be between 1 and 99999999, not \(timeout)")
        }
        topLanguage = language
        validateMachine(root, at: "", kind: .top, language: language)
        validateVariables(root, language: language)
    }

    /// Reads a `QueryLanguage` value; reports a bad value, JSONPath under a JSONata machine, and JSONata
    /// while it is not enabled.
    func queryLanguage(_ value: JSON, at pointer: String, inherited: QueryLanguage?) -> QueryLanguage? {
        guard case .string(let s) = value, let language = QueryLanguage(rawValue: s) else {
            report(pointer, "QueryLanguage must be \"JSONPath\" or \"JSONata\", not \(value.description)")
            return nil
        }
        if language == .jsonPath, inherited == .jsonata {
            report(pointer, "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata; "
                + "set the top-level QueryLanguage to JSONPath and QueryLanguage: JSONata on the JSONata states")
        }
        if language == .jsonata, !options.allowJSONata {
            notYetSupported(pointer, "QueryLanguage JSONata")
        }
        return language
    }

    func validateMachine(_ machine: JSONObject, at pointer: String, kind: MachineKind, language: QueryLanguage) {
        rejectUnknownFields(machine, allowed: kind.allowedFields, at: pointer, in: kind.name) { key in
            if key == "QueryLanguage" {
                return "QueryLanguage can only be set at the top of the definition or on a state"
            }
            if key == "Type" || key == "Next" || key == "End" {
                return kind == .top ? "\(key) belongs in a state, inside States" : nil
            }
            return nil
        }
        if kind == .top, let comment = machine["Comment"], comment.stringValue == nil {
            report(pointer.pointer("Comment"), "Comment must be a string, not \(comment.typeName)")
        }
        if kind == .itemProcessor || kind == .iterator, let config = object(machine, "ProcessorConfig", at: pointer) {
            validateProcessorConfig(config, at: pointer.pointer("ProcessorConfig"))
        }

        require(machine, "StartAt", at: pointer, kind.name)
        let startAt = string(machine, "StartAt", at: pointer)
        guard require(machine, "States", at: pointer, kind.name),
            let states = object(machine, "States", at: pointer)
        else { return }
        let statesPointer = pointer.pointer("States")
        if states.isEmpty {
            report(statesPointer, "States must hold at least one state")
            return
        }

        var transitions: [String: [Transition]] = [:]
        for (name, value) in states {
            let statePointer = statesPointer.pointer(name)
            if name.isEmpty {
                report(statePointer, "a state name cannot be empty")
            } else if name.count > 80 {
                report(statePointer, "the state name is \(name.count) characters long; the limit is 80")
            }
            if let first = stateNames[name] {
                report(statePointer, "the state name \"\(name)\" is already used at \(first); state names must be unique "
                    + "across the whole definition, including Parallel branches and Map processors")
            } else {
                stateNames[name] = statePointer
            }
            guard case .object(let state) = value else {
                report(statePointer, "a state must be an object, not \(value.typeName)")
                continue
            }
            transitions[name] = validateState(state, named: name, at: statePointer, language: language)
        }

        let isTerminal = { (state: JSON) -> Bool in
            let type = state["Type"]?.stringValue
            return type == "Succeed" || type == "Fail" || state["End"] == true
        }
        if !states.values.contains(where: isTerminal) {
            report(statesPointer, "\(kind.name) has no terminal state: add \"End\": true to a state, or a Succeed or Fail state")
        }

        for name in states.keys {
            for transition in transitions[name] ?? [] where states[transition.target] == nil {
                report(transition.location, "no state is named \"\(transition.target)\"\(stateSuggestion(transition.target, states))")
            }
        }
        guard let startAt else { return }
        guard states[startAt] != nil else {
            report(pointer.pointer("StartAt"), "StartAt names \"\(startAt)\", but no state has that name\(stateSuggestion(startAt, states))")
            return
        }
        var reached: Set<String> = [startAt]
        var pending = [startAt]
        while let name = pending.popLast() {
            for transition in transitions[name] ?? [] where states[transition.target] != nil {
                if reached.insert(transition.target).inserted { pending.append(transition.target) }
            }
        }
        for name in states.keys where !reached.contains(name) {
            report(statesPointer.pointer(name), "the state \"\(name)\" is unreachable: no transition from StartAt leads to it")
        }
    }

    private func stateSuggestion(_ target: String, _ states: JSONObject) -> String {
        let lower = target.lowercased()
        if let match = states.keys.first(where: { $0.lowercased() == lower || (lower.count > 3 && editDistance($0.lowercased(), lower) <= 1) }) {
            return " (did you mean \"\(match)\"?)"
        }
        return ""
    }

    func validateProcessorConfig(_ config: JSONObject, at pointer: String) {
        rejectUnknownFields(config, allowed: ["Mode", "ExecutionType"], at: pointer, in: "ProcessorConfig")
        let mode = string(config, "Mode", at: pointer)
        if let mode, mode != "INLINE", mode != "DISTRIBUTED" {
            report(pointer.pointer("Mode"), "Mode must be INLINE or DISTRIBUTED, not \"\(mode)\"")
        }
        if let type = string(config, "ExecutionType", at: pointer) {
            if type != "STANDARD", type != "EXPRESS" {
                report(pointer.pointer("ExecutionType"), "ExecutionType must be STANDARD or EXPRESS, not \"\(type)\"")
            }
        } else if mode == "DISTRIBUTED" {
            report(pointer.pointer("ExecutionType"), "a DISTRIBUTED ProcessorConfig needs ExecutionType (STANDARD or EXPRESS)")
        }
    }
}
