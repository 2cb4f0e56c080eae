// Task, Wait and Fail states: resources Baton can map, timeouts and heartbeats, wait times, error fields.
import BatonJSON

extension ValidationRun {
    func validateTask(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        guard require(state, "Resource", at: pointer, "A Task state"), let resource = string(state, "Resource", at: pointer) else {
            validateTaskTimeouts(state, at: pointer, language: language)
            return
        }
        let resourcePointer = pointer.pointer("Resource")
        if let parsed = TaskResource(parsing: resource) {
            checkTaskFunction(parsed, state: state, at: pointer, language: language)
        } else {
            report(resourcePointer, unmappableResourceMessage(resource))
        }
        validateTaskTimeouts(state, at: pointer, language: language)
    }

    private func unmappableResourceMessage(_ resource: String) -> String {
        let supported = "Baton runs Lambda function ARNs (arn:aws:lambda:REGION:ACCOUNT:function:NAME), "
            + "arn:aws:states:::lambda:invoke, activity ARNs (arn:aws:states:REGION:ACCOUNT:activity:NAME), "
            + "arn:aws:states:::states:startExecution and baton:function:NAME"
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 6, parts[0] == "arn", parts[2] == "states", parts[3].isEmpty {
            let integration = parts[5...].joined(separator: ":")
            return "the service integration \(integration) is not supported by Baton; \(supported)"
        }
        return "Baton cannot map the resource \"\(resource)\" to a function; \(supported)"
    }

    /// For `lambda:invoke`, FunctionName must be given; with `availableFunctions`, the function must be served.
    private func checkTaskFunction(_ resource: TaskResource, state: JSONObject, at pointer: String, language: QueryLanguage) {
        var functionName = resource.staticFunctionName
        var location = pointer.pointer("Resource")
        if case .lambdaInvoke = resource {
            let argumentsKey = language == .jsonPath ? "Parameters" : "Arguments"
            let arguments = state[argumentsKey]?.objectValue
            if let name = arguments?["FunctionName"] {
                location = pointer.pointer(argumentsKey).pointer("FunctionName")
                if case .string(let s) = name, !isJSONataExpression(name) {
                    functionName = TaskResource.functionName(fromFunctionNameParameter: s)
                } else if name.stringValue == nil {
                    report(location, "FunctionName must be a string, not \(name.typeName)")
                }
            } else if arguments?["FunctionName.$"] == nil, state[argumentsKey]?.stringValue == nil {
                report(pointer.pointer(argumentsKey).pointer("FunctionName"),
                    "a lambda:invoke Task needs \(argumentsKey).FunctionName, the function to call")
            }
        }
        if let available = options.availableFunctions, let functionName, !available.contains(functionName) {
            report(location, "no function is mapped for \"\(functionName)\"; pass --function \(functionName)=COMMAND")
        }
    }

    private func validateTaskTimeouts(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        atMostOne(of: ["TimeoutSeconds", "TimeoutSecondsPath"], in: state, at: pointer)
        atMostOne(of: ["HeartbeatSeconds", "HeartbeatSecondsPath"], in: state, at: pointer)
        let timeout = positiveSeconds(state, "TimeoutSeconds", at: pointer, language: language)
        let heartbeat = positiveSeconds(state, "HeartbeatSeconds", at: pointer, language: language)
        if let timeout, let heartbeat, heartbeat >= timeout {
            report(pointer.pointer("HeartbeatSeconds"), "HeartbeatSeconds (\(heartbeat)) must be smaller than TimeoutSeconds (\(timeout))")
        }
        checkPathField(state, "TimeoutSecondsPath", at: pointer, kind: .reference, nullable: false)
        checkPathField(state, "HeartbeatSecondsPath", at: pointer, kind: .reference, nullable: false)
    }

    /// A whole number of seconds from 1 to 99999999 (or a JSONata expression in a JSONata state).
    func positiveSeconds(_ state: JSONObject, _ key: String, at pointer: String, language: QueryLanguage, minimum: Int = 1) -> Int? {
        guard let value = state[key] else { return nil }
        if isJSONataExpression(value) {  // in a JSONPath state, reported by rejectJSONataExpressions
            if language == .jsonata { checkJSONataTemplate(value, at: pointer.pointer(key)) }
            return nil
        }
        guard let seconds = integer(state, key, at: pointer) else { return nil }
        guard (minimum...99_999_999).contains(seconds) else {
            report(pointer.pointer(key), "\(key) must be between \(minimum) and 99999999, not \(seconds)")
            return nil
        }
        return seconds
    }

    func validateWait(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        let fields = language == .jsonPath ? ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] : ["Seconds", "Timestamp"]
        let present = fields.filter { state[$0] != nil }
        if present.isEmpty {
            report(pointer, "a Wait state needs exactly one of \(fields.joined(separator: ", "))")
        } else if present.count > 1 {
            report(pointer.pointer(present[1]), "a Wait state takes exactly one of \(fields.joined(separator: ", ")); it has \(present.joined(separator: " and "))")
        }
        _ = positiveSeconds(state, "Seconds", at: pointer, language: language, minimum: 0)
        if let value = state["Timestamp"] {
            if isJSONataExpression(value) {
                if language == .jsonata { checkJSONataTemplate(value, at: pointer.pointer("Timestamp")) }
            } else if let timestamp = string(state, "Timestamp", at: pointer), !isTimestamp(timestamp) {
                report(pointer.pointer("Timestamp"), "Timestamp \"\(timestamp)\" is not an ISO 8601 timestamp such as 2026-03-14T01:59:00Z")
            }
        }
        checkPathField(state, "SecondsPath", at: pointer, kind: .reference, nullable: false)
        checkPathField(state, "TimestampPath", at: pointer, kind: .reference, nullable: false)
    }

    func validateFail(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        atMostOne(of: ["Error", "ErrorPath"], in: state, at: pointer)
        atMostOne(of: ["Cause", "CausePath"], in: state, at: pointer)
        for key in ["Error", "Cause"] {
            guard let value = state[key] else { continue }
            if language == .jsonata, isJSONataExpression(value) {
                checkJSONataTemplate(value, at: pointer.pointer(key))
            } else {
                _ = string(state, key, at: pointer)
            }
        }
        checkPathField(state, "ErrorPath", at: pointer, kind: .referenceOrIntrinsic, nullable: false)
        checkPathField(state, "CausePath", at: pointer, kind: .referenceOrIntrinsic, nullable: false)
    }
}
