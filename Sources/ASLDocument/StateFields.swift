// Which fields each state type has, in each query language. AWS splits the fields by query language:
// JSONPath states process data with InputPath/Parameters/ResultSelector/ResultPath/OutputPath and the
// `…Path` variants; JSONata states with Arguments/Output and `{% %}` expressions. Using a field of the other
// language is the "mixed query language" error.

/// The eight state types.
enum StateType: String, CaseIterable {
    case pass = "Pass", task = "Task", choice = "Choice", wait = "Wait"
    case succeed = "Succeed", fail = "Fail", parallel = "Parallel", map = "Map"

    /// Whether the state must have exactly one of Next and End.
    var needsTransition: Bool {
        switch self {
        case .choice, .succeed, .fail: false
        default: true
        }
    }

    /// Whether the state can have Retry and Catch.
    var hasErrorHandling: Bool { self == .task || self == .parallel || self == .map }

    /// The fields the state may have in `language`.
    func allowedFields(_ language: QueryLanguage) -> Set<String> {
        var fields: Set<String> = ["Type", "Comment", "QueryLanguage"]
        if needsTransition { fields.formUnion(["Next", "End"]) }
        if self != .succeed, self != .fail { fields.insert("Assign") }
        if hasErrorHandling { fields.formUnion(["Retry", "Catch"]) }
        switch language {
        case .jsonPath:
            if self != .fail { fields.formUnion(["InputPath", "OutputPath"]) }
        case .jsonata:
            if self != .fail { fields.insert("Output") }
        }
        fields.formUnion(specificFields(language))
        return fields
    }

    private func specificFields(_ language: QueryLanguage) -> Set<String> {
        let jsonPath = language == .jsonPath
        switch self {
        case .pass:
            return jsonPath ? ["Parameters", "ResultPath", "Result"] : []
        case .task:
            return jsonPath
                ? ["Resource", "Parameters", "ResultSelector", "ResultPath", "TimeoutSeconds", "TimeoutSecondsPath",
                    "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"]
                : ["Resource", "Arguments", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"]
        case .choice:
            return ["Choices", "Default"]
        case .wait:
            return jsonPath ? ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] : ["Seconds", "Timestamp"]
        case .succeed:
            return []
        case .fail:
            return jsonPath ? ["Error", "Cause", "ErrorPath", "CausePath"] : ["Error", "Cause"]
        case .parallel:
            return jsonPath ? ["Branches", "Parameters", "ResultSelector", "ResultPath"] : ["Branches", "Arguments"]
        case .map:
            let common: Set<String> = [
                "ItemProcessor", "Iterator", "ItemSelector", "MaxConcurrency", "ToleratedFailureCount",
                "ToleratedFailurePercentage", "ItemBatcher", "ItemReader", "ResultWriter", "Label",
            ]
            return jsonPath
                ? common.union([
                    "ItemsPath", "Parameters", "ResultSelector", "ResultPath", "MaxConcurrencyPath",
                    "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
                ])
                : common.union(["Items"])
        }
    }
}

/// Fields that exist only in JSONPath states, with what JSONata uses instead.
let jsonPathOnlyFields: [String: String] = [
    "InputPath": "Arguments or Output", "OutputPath": "Output", "Parameters": "Arguments",
    "ResultSelector": "Output", "ResultPath": "Output or Assign", "Result": "Output", "ItemsPath": "Items",
    "SecondsPath": "Seconds with a {% %} expression", "TimestampPath": "Timestamp with a {% %} expression",
    "TimeoutSecondsPath": "TimeoutSeconds with a {% %} expression",
    "HeartbeatSecondsPath": "HeartbeatSeconds with a {% %} expression",
    "MaxConcurrencyPath": "MaxConcurrency with a {% %} expression",
    "ToleratedFailureCountPath": "ToleratedFailureCount with a {% %} expression",
    "ToleratedFailurePercentagePath": "ToleratedFailurePercentage with a {% %} expression",
    "ErrorPath": "Error with a {% %} expression", "CausePath": "Cause with a {% %} expression",
]

/// Fields that exist only in JSONata states, with what JSONPath uses instead.
let jsonataOnlyFields: [String: String] = [
    "Arguments": "Parameters", "Output": "OutputPath, ResultSelector or ResultPath", "Items": "ItemsPath",
]
