// Running a state in JSONata mode: Pass, Succeed, Fail, Choice and Wait here; Task, Map, Parallel and Catch
// in Run+JSONataTasks.swift. Each expression sees `$states` (input, context, and where AWS makes them
// available result and errorOutput) and the workflow variables from before the state. `Output` replaces the
// five JSONPath steps (its default is the result, or the input for states without one); `Assign` is evaluated
// against the same values and handed to `applyAssignments`. A failed evaluation is a
// `States.QueryEvaluationError` whose cause names the state, preceded by an `EvaluationFailed` event.

import Foundation
import BatonJSON
import ASLExpressions
import ASLChoice
import JSONata

extension Run {
    /// The current state's JSONata fields, when it is in JSONata mode.
    func jsonataFields(_ step: Step) -> JSONataState? {
        currentBlock(step)?.jsonata[stateName]
    }

    /// Runs (or re-runs) a JSONata-mode state.
    mutating func attemptJSONata(_ state: State, _ fields: JSONataState, _ step: inout Step) -> Flow {
        switch state {
        case .pass(let s): return runPassJSONata(s, fields, &step)
        case .succeed: return runSucceedJSONata(fields, &step)
        case .fail: return runFailJSONata(fields, &step)
        case .choice(let s): return runChoiceJSONata(s, fields, &step)
        case .wait: return runWaitJSONata(fields, &step)
        case .task(let s): return runTaskJSONata(s, fields, &step)
        case .parallel(let s): return runParallelJSONata(s, fields, &step)
        case .map(let s): return runMapJSONata(s, fields, &step)
        }
    }

    /// The scope of the current state's expressions. Each call draws one seed for `$random()`/`$uuid()`.
    func jsonataScope(_ fields: JSONataState, _ step: inout Step, result: JSON? = nil, errorOutput: JSON? = nil,
                      context: JSON? = nil) -> JSONataScope {
        var states: JSONObject = ["input": stateInput]
        if fields.readsContext { states["context"] = context ?? self.context(step) }
        if let result { states["result"] = result }
        if let errorOutput { states["errorOutput"] = errorOutput }
        let seed = step.random.next()
        return JSONataScope(states: states, variables: variables,
                            environment: JSONataEnvironment(now: step.now, randomSeed: seed, maximumSteps: 10_000_000,
                                                            extraFunctions: StatesFunctions.library(seed: seed)))
    }

    /// Evaluates `Output` (default `fallback`) and `Assign` against one scope; the assignments become pending.
    mutating func outputAndAssign(_ output: JSONataTemplate?, _ assign: JSONataTemplate?, fallback: JSON,
                                  scope: JSONataScope, _ step: inout Step) throws(JSONataStateFailure) -> JSON {
        let value: JSON
        var values: JSONObject = [:]
        do throws(ASLError) {
            value = try output?.evaluate(field: "Output", in: scope) ?? fallback
            if let assign {
                guard case .object(let assigned) = try assign.evaluate(field: "Assign", in: scope) else {
                    throw JSONataScope.queryError("The field 'Assign' must be an object.")
                }
                values = assigned
            }
        } catch {
            throw JSONataStateFailure(failure: evaluationFailure(error, &step))
        }
        if let failure = applyAssignments(values, &step) { throw JSONataStateFailure(failure: failure) }
        return value
    }

    /// The failure an expression error fails the state with; a `States.QueryEvaluationError` also appends
    /// the `EvaluationFailed` event and gets AWS's prefix naming the state.
    mutating func evaluationFailure(_ error: ASLError, _ step: inout Step) -> RunFailure {
        guard error.name == .queryEvaluationError else { return runtimeFailure(error) }
        let failure = RunFailure(error: error.name.rawValue, cause: runtimePrefix + error.cause)
        emit("EvaluationFailed", ["error": .string(error.name.rawValue), "cause": .string(failure.cause ?? ""),
                                  "state": .string(stateName)], &step)
        return failure
    }

    /// `Output` (default `fallback`) and `Assign`, then the state exits (or fails, with no Retry or Catch).
    mutating func exitJSONata(_ fields: JSONataState, _ exitedEventType: String, result: JSON? = nil, fallback: JSON,
                              transition: Transition, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step, result: result)
        do {
            let output = try outputAndAssign(fields.output, fields.assign, fallback: fallback, scope: scope, &step)
            return exit(exitedEventType, output: output, transition: transition, &step)
        } catch {
            return fail(error.failure, retriers: [], catchers: [], &step)
        }
    }

    mutating func runPassJSONata(_ s: PassState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        exitJSONata(fields, "PassStateExited", fallback: stateInput, transition: s.transition, &step)
    }

    mutating func runSucceedJSONata(_ fields: JSONataState, _ step: inout Step) -> Flow {
        exitJSONata(fields, "SucceedStateExited", fallback: stateInput, transition: .end, &step)
    }

    mutating func runFailJSONata(_ fields: JSONataState, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step)
        do throws(ASLError) {
            let error = try fields.error.map { template throws(ASLError) in try template.string(field: "Error", in: scope) }
            let cause = try fields.cause.map { template throws(ASLError) in try template.string(field: "Cause", in: scope) }
            return fail(RunFailure(error: error, cause: cause), retriers: [], catchers: [], &step)
        } catch {
            return fail(evaluationFailure(error, &step), retriers: [], catchers: [], &step)
        }
    }

    mutating func runChoiceJSONata(_ s: ChoiceState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step)
        var matched: JSONataState.ChoiceRule?
        do throws(ASLError) {
            for rule in fields.choices where try rule.condition.boolean(field: "Condition", in: scope) {
                matched = rule
                break
            }
        } catch {
            return fail(evaluationFailure(error, &step), retriers: [], catchers: [], &step)
        }
        guard let next = matched?.next ?? s.defaultNext else {
            return fail(RunFailure(error: ASLErrorName.noChoiceMatched.rawValue,
                                   cause: "No choice rule matched the input of the state '\(stateName)' and it has no Default."),
                        retriers: [], catchers: [], &step)
        }
        do {
            // The state's Assign applies whichever way the state goes, the matched rule's over it; the rule's
            // Output replaces the state's.
            _ = try outputAndAssign(nil, fields.assign, fallback: stateInput, scope: scope, &step)
            let output = try outputAndAssign(matched?.output ?? fields.output, matched?.assign, fallback: stateInput,
                                             scope: scope, &step)
            let assigned = commitAssignments(&step)
            emit("ChoiceStateExited", stateDetails(stateName, output: output, assigned: assigned), &step)
            return .goto(next, output)
        } catch {
            return fail(error.failure, retriers: [], catchers: [], &step)
        }
    }

    mutating func runWaitJSONata(_ fields: JSONataState, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step)
        let due: Date
        do throws(ASLError) {
            if let seconds = fields.seconds {
                let value = try seconds.integer(field: "Seconds", in: scope)
                guard value >= 0 else {
                    throw JSONataScope.queryError("The Seconds field must be a non-negative integer, but was: \(value)")
                }
                due = step.now.addingTimeInterval(Double(value))
            } else if let timestamp = fields.timestamp {
                let text = try timestamp.string(field: "Timestamp", in: scope)
                guard let date = ASLTimestamp.parse(text) else {
                    throw JSONataScope.queryError("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: \(text)")
                }
                due = date
            } else {
                due = step.now
            }
        } catch {
            return fail(evaluationFailure(error, &step), retriers: [], catchers: [], &step)
        }
        effectiveInput = stateInput
        let id = takeActionId()
        phase = .waiting(timerId: id)
        step.actions.append(.startTimer(id: id, due: due, purpose: .wait))
        return .blocked
    }

    /// The Wait state's timer fired: `Output` and `Assign`, then on.
    mutating func waitEndedJSONata(_ s: WaitState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        exitJSONata(fields, "WaitStateExited", fallback: stateInput, transition: s.transition, &step)
    }
}

/// A JSONata-mode state failed while computing its output or assignments (the failure is ready to raise).
struct JSONataStateFailure: Error {
    var failure: RunFailure
}

extension JSONataTemplate {
    /// Evaluates a field that must hold one JSON type; AWS's cause names the expected and the actual type.
    func typed(field: String, expected: String, in scope: JSONataScope, accept: (JSON) -> Bool) throws(ASLError) -> JSON {
        let value = try evaluate(field: field, in: scope)
        guard accept(value) else {
            let source = if case .expression(let compiled) = self { "The JSONata expression '\(compiled.text)'" } else { "The value" }
            throw JSONataScope.queryError("\(source) specified for the field '\(field)' returned an unexpected result type. "
                + "Expected '\(expected)', but was '\(value.typeName)' for value: \(value.serialized())")
        }
        return value
    }

    func string(field: String, in scope: JSONataScope) throws(ASLError) -> String {
        try typed(field: field, expected: "string", in: scope) { $0.stringValue != nil }.stringValue ?? ""
    }

    func boolean(field: String, in scope: JSONataScope) throws(ASLError) -> Bool {
        try typed(field: field, expected: "boolean", in: scope) { $0.boolValue != nil }.boolValue ?? false
    }

    func integer(field: String, in scope: JSONataScope) throws(ASLError) -> Int {
        let value = try typed(field: field, expected: "integer", in: scope) { $0.numberValue?.exactInt != nil }
        return value.numberValue?.exactInt ?? 0
    }

    /// A timeout: an integer of at least 1.
    func positive(field: String, in scope: JSONataScope) throws(ASLError) -> Int {
        let value = try integer(field: field, in: scope)
        guard value > 0 else { throw JSONataScope.queryError("The \(field) field must be a positive integer, but was: \(value)") }
        return value
    }

    func number(field: String, in scope: JSONataScope) throws(ASLError) -> Double {
        try typed(field: field, expected: "number", in: scope) { $0.doubleValue != nil }.doubleValue ?? 0
    }
}
