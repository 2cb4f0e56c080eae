// Retry and Catch: each retrier's and catcher's fields and ranges, and the rule that `States.ALL` stands
// alone in its ErrorEquals and only in the last retrier or catcher.
import BatonJSON

extension ValidationRun {
    func validateRetry(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        guard let retriers = array(state, "Retry", at: pointer) else { return }
        let retryPointer = pointer.pointer("Retry")
        for (index, value) in retriers.enumerated() {
            let here = retryPointer.pointer(index)
            guard case .object(let retrier) = value else {
                report(here, "a retrier must be an object, not \(value.typeName)")
                continue
            }
            rejectUnknownFields(retrier, allowed: ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"], at: here, in: "A retrier")
            validateErrorEquals(retrier, at: here, isLast: index == retriers.count - 1, what: "retrier")
            if let interval = integer(retrier, "IntervalSeconds", at: here), !(1...99_999_999).contains(interval) {
                report(here.pointer("IntervalSeconds"), "IntervalSeconds must be between 1 and 99999999, not \(interval)")
            }
            if let attempts = integer(retrier, "MaxAttempts", at: here), !(0...99_999_999).contains(attempts) {
                report(here.pointer("MaxAttempts"), "MaxAttempts must be between 0 and 99999999, not \(attempts)")
            }
            if let rate = number(retrier, "BackoffRate", at: here), rate < 1.0 {
                report(here.pointer("BackoffRate"), "BackoffRate must be at least 1.0, not \(retrier["BackoffRate"]!)")
            }
            if let delay = integer(retrier, "MaxDelaySeconds", at: here), !(1...31_622_400).contains(delay) {
                report(here.pointer("MaxDelaySeconds"), "MaxDelaySeconds must be between 1 and 31622400, not \(delay)")
            }
            if let jitter = string(retrier, "JitterStrategy", at: here), jitter != "FULL", jitter != "NONE" {
                report(here.pointer("JitterStrategy"), "JitterStrategy must be FULL or NONE, not \"\(jitter)\"")
            }
            if let comment = retrier["Comment"], comment.stringValue == nil {
                report(here.pointer("Comment"), "Comment must be a string, not \(comment.typeName)")
            }
        }
    }

    func validateCatch(_ state: JSONObject, at pointer: String, language: QueryLanguage, into transitions: inout [Transition]) {
        guard let catchers = array(state, "Catch", at: pointer) else { return }
        let catchPointer = pointer.pointer("Catch")
        for (index, value) in catchers.enumerated() {
            let here = catchPointer.pointer(index)
            guard case .object(let catcher) = value else {
                report(here, "a catcher must be an object, not \(value.typeName)")
                continue
            }
            let allowed: Set<String> = language == .jsonPath
                ? ["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"]
                : ["ErrorEquals", "Next", "Output", "Assign", "Comment"]
            rejectUnknownFields(catcher, allowed: allowed, at: here, in: "A catcher") { key in
                switch (key, language) {
                case ("Output", .jsonPath): "Output is a JSONata field and this state uses JSONPath; use ResultPath"
                case ("ResultPath", .jsonata): "ResultPath is a JSONPath field and cannot be used in a JSONata state; use Output"
                default: nil
                }
            }
            validateErrorEquals(catcher, at: here, isLast: index == catchers.count - 1, what: "catcher")
            if require(catcher, "Next", at: here, "A catcher"), let next = string(catcher, "Next", at: here) {
                transitions.append(Transition(target: next, location: here.pointer("Next")))
            }
            if language == .jsonPath {
                checkPathField(catcher, "ResultPath", at: here, kind: .resultPath, nullable: true)
            } else if let output = catcher["Output"] {
                checkJSONataTemplate(output, at: here.pointer("Output"))
            }
            if let assign = catcher["Assign"] {
                validateAssign(assign, at: here.pointer("Assign"), language: language)
            }
        }
    }

    private func validateErrorEquals(_ rule: JSONObject, at pointer: String, isLast: Bool, what: String) {
        guard require(rule, "ErrorEquals", at: pointer, "A \(what)"), let names = array(rule, "ErrorEquals", at: pointer) else { return }
        let here = pointer.pointer("ErrorEquals")
        if names.isEmpty {
            report(here, "ErrorEquals must name at least one error")
            return
        }
        var seen: Set<String> = []
        for (index, name) in names.enumerated() {
            guard case .string(let s) = name else {
                report(here.pointer(index), "an error name must be a string, not \(name.typeName)")
                continue
            }
            if s.isEmpty { report(here.pointer(index), "an error name cannot be empty") }
            if !seen.insert(s).inserted { report(here.pointer(index), "\"\(s)\" is listed twice") }
            if s == "States.ALL" {
                if names.count > 1 {
                    report(here.pointer(index), "States.ALL must be the only error name in its ErrorEquals")
                }
                if !isLast {
                    report(here.pointer(index), "States.ALL must appear only in the last \(what), since no \(what) after it could ever match")
                }
            }
        }
    }
}
