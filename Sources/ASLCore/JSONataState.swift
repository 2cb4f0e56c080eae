// The JSONata-mode fields of one state, compiled when the StateMachine is built. A state in JSONata mode is
// read twice: its JSONata fields (Arguments, Output, Assign, Items, Seconds, Condition, …) into a
// `JSONataState`, and the rest (Type, Next, Resource, Retry, Catch, Branches, ItemProcessor, …) by the
// ordinary state readers, which therefore never see a `{% %}` string where they expect a number or a path.

import BatonJSON
import JSONata

/// The query language a state's fields are written in.
public enum QueryLanguageMode: String, Sendable, Hashable {
    case jsonPath = "JSONPath"
    case jsonata = "JSONata"
}

/// The JSONata-mode fields of one state. Absent fields are `nil`.
public struct JSONataState: Sendable {
    /// A JSONata choice rule.
    public struct ChoiceRule: Sendable {
        /// `Condition`.
        public var condition: JSONataTemplate
        /// `Next`.
        public var next: String
        /// `Output`, used instead of the state's when this rule matches.
        public var output: JSONataTemplate?
        /// `Assign`, applied with the state's when this rule matches.
        public var assign: JSONataTemplate?
    }

    /// A catcher's JSONata fields (same order as the state's `catchers`).
    public struct CatcherFields: Sendable {
        /// `Output` (default: `$states.errorOutput`).
        public var output: JSONataTemplate?
        /// `Assign`.
        public var assign: JSONataTemplate?
    }

    /// `Arguments` (Task, Parallel).
    public var arguments: JSONataTemplate?
    /// `Output`.
    public var output: JSONataTemplate?
    /// `Assign`.
    public var assign: JSONataTemplate?
    /// `Items` (Map).
    public var items: JSONataTemplate?
    /// `ItemSelector` (Map).
    public var itemSelector: JSONataTemplate?
    /// `MaxConcurrency`, `ToleratedFailureCount`, `ToleratedFailurePercentage` (Map).
    public var maxConcurrency, toleratedFailureCount, toleratedFailurePercentage: JSONataTemplate?
    /// `ItemBatcher`'s `MaxItemsPerBatch`, `BatchInput` (Map).
    public var maxItemsPerBatch, batchInput: JSONataTemplate?
    /// Whether the Map has an `ItemBatcher`.
    public var batches = false
    /// `Seconds`, `Timestamp` (Wait).
    public var seconds, timestamp: JSONataTemplate?
    /// `TimeoutSeconds`, `HeartbeatSeconds` (Task).
    public var timeoutSeconds, heartbeatSeconds: JSONataTemplate?
    /// `Error`, `Cause` (Fail).
    public var error, cause: JSONataTemplate?
    /// `Choices` (Choice).
    public var choices: [ChoiceRule] = []
    /// The Catch list's `Output`/`Assign`.
    public var catchers: [CatcherFields] = []
    /// Whether any expression reads `$states.context`.
    public var readsContext = false

    /// The fields a JSONata state keeps for itself; the ordinary readers get the state without them.
    static let ownFields: Set<String> = [
        "Arguments", "Output", "Assign", "Items", "ItemSelector", "MaxConcurrency", "ToleratedFailureCount",
        "ToleratedFailurePercentage", "ItemBatcher", "Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds",
        "Error", "Cause", "Choices", "QueryLanguage",
    ]

    /// The state-level fields that hold one template each.
    static var topLevelFields: [(String, WritableKeyPath<JSONataState, JSONataTemplate?>)] {
        [
            ("Arguments", \.arguments), ("Output", \.output), ("Assign", \.assign), ("Items", \.items),
            ("ItemSelector", \.itemSelector), ("MaxConcurrency", \.maxConcurrency),
            ("ToleratedFailureCount", \.toleratedFailureCount), ("ToleratedFailurePercentage", \.toleratedFailurePercentage),
            ("Seconds", \.seconds), ("Timestamp", \.timestamp), ("TimeoutSeconds", \.timeoutSeconds),
            ("HeartbeatSeconds", \.heartbeatSeconds), ("Error", \.error), ("Cause", \.cause),
        ]
    }

    /// Reads the JSONata fields of `state` (at `location`) and returns them with the state as the ordinary
    /// readers should see it.
    static func split(_ state: JSONObject, location: String, problems: inout [StateMachineError.Problem])
        -> (JSONataState, JSON)
    {
        var fields = JSONataState()
        func compile(_ value: JSON?, _ pointer: String) -> JSONataTemplate? {
            guard let value else { return nil }
            do { return try JSONataTemplate(value) } catch {
                problems.append(.init(location: pointer + error.pointer, message: "invalid JSONata expression: \(error.error)"))
                return nil
            }
        }
        func at(_ key: String) -> String { location + "/" + key }
        for (key, field) in topLevelFields {
            fields[keyPath: field] = compile(state[key], at(key))
        }
        if case .object(let batcher)? = state["ItemBatcher"] {
            fields.batches = true
            fields.maxItemsPerBatch = compile(batcher["MaxItemsPerBatch"], at("ItemBatcher") + "/MaxItemsPerBatch")
            fields.batchInput = compile(batcher["BatchInput"], at("ItemBatcher") + "/BatchInput")
        }
        for (index, rule) in (state["Choices"]?.arrayValue ?? []).enumerated() {
            let pointer = at("Choices") + "/\(index)"
            guard let condition = compile(rule["Condition"], pointer + "/Condition") else {
                if rule["Condition"] == nil { problems.append(.init(location: pointer, message: "a JSONata choice rule needs a Condition")) }
                continue
            }
            fields.choices.append(ChoiceRule(condition: condition, next: rule["Next"]?.stringValue ?? "",
                                             output: compile(rule["Output"], pointer + "/Output"),
                                             assign: compile(rule["Assign"], pointer + "/Assign")))
        }
        for (index, catcher) in (state["Catch"]?.arrayValue ?? []).enumerated() {
            let pointer = at("Catch") + "/\(index)"
            fields.catchers.append(CatcherFields(output: compile(catcher["Output"], pointer + "/Output"),
                                                 assign: compile(catcher["Assign"], pointer + "/Assign")))
        }
        fields.readsContext = JSON.object(state).mentionsStatesContext

        var rest = state.filter { !ownFields.contains($0.key) }
        switch state["Type"]?.stringValue {
        case "Choice": rest["Choices"] = .array([])
        case "Wait": rest["Seconds"] = .int(0)  // the ordinary reader needs a duration; the JSONata one is used
        default: break
        }
        return (fields, .object(rest))
    }
}

extension JSON {
    /// Whether any string in this value (outside nested blocks) may read `$states.context` (an over-approximation).
    var mentionsStatesContext: Bool { containsString { $0.contains("context") } }
}
