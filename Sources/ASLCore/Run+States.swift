// Pass, Succeed, Fail, Choice and Wait: the states that need no task or children.

import Foundation
import BatonJSON
import ASLExpressions
import ASLChoice

extension Run {
    mutating func runPass(_ s: PassState, _ step: inout Step) -> Flow {
        let context = s.io.readsContext ? self.context(step) : .null
        do {
            let effective = try IOPipeline.effectiveInput(s.io, input: stateInput, context: context, variables: variables, random: &step.random)
            let result = s.result ?? effective
            if let failure = assign(s.io.assign, input: result, context: context, &step) {
                return fail(failure, retriers: [], catchers: [], &step)
            }
            let output = try IOPipeline.output(s.io, input: stateInput, selected: result, context: context, variables: variables)
            return exit("PassStateExited", output: output, transition: s.transition, &step)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }

    mutating func runSucceed(_ s: SucceedState, _ step: inout Step) -> Flow {
        let context = s.io.readsContext ? self.context(step) : .null
        do {
            let effective = try IOPipeline.select(s.io.inputPath, in: stateInput, context: context, variables: variables)
            let output = try IOPipeline.select(s.io.outputPath, in: effective, context: context, variables: variables)
            return exit("SucceedStateExited", output: output, transition: .end, &step)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }

    mutating func runFail(_ s: FailState, _ step: inout Step) -> Flow {
        let context = s.readsContext ? self.context(step) : .null
        do {
            var failure = RunFailure(error: s.error, cause: s.cause)
            if let expression = s.errorPath {
                failure.error = try evaluate(expression, field: "ErrorPath", context: context, &step)
            }
            if let expression = s.causePath {
                failure.cause = try evaluate(expression, field: "CausePath", context: context, &step)
            }
            return fail(failure, retriers: [], catchers: [], &step)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }

    /// `ErrorPath`/`CausePath`: a string selected by a path or made by an intrinsic function.
    private func evaluate(_ expression: ValueExpression, field: String, context: JSON, _ step: inout Step) throws(ASLError) -> String {
        let scope = expressionScope(stateInput, context: context)
        let value: JSON
        switch expression {
        case .path(let path):
            value = try path.path.value(in: scope, field: field)
        case .intrinsic(let call):
            value = try call.evaluate(in: scope, random: &step.random, field: field)
        }
        return value.stringValue ?? value.serialized()
    }

    mutating func runChoice(_ s: ChoiceState, _ step: inout Step) -> Flow {
        let context = s.io.readsContext ? self.context(step) : .null
        do {
            let effective = try IOPipeline.select(s.io.inputPath, in: stateInput, context: context, variables: variables)
            let scope = expressionScope(effective, context: context)
            var matched: Int?
            for (index, branch) in s.choices.enumerated() where try branch.rule.evaluate(in: scope) {
                matched = index
                break
            }
            guard let next = matched.map({ s.choices[$0].next }) ?? s.defaultNext else {
                return fail(RunFailure(error: ASLErrorName.noChoiceMatched.rawValue,
                                       cause: "No choice rule matched the input of the state '\(stateName)' and it has no Default."),
                            retriers: [], catchers: [], &step)
            }
            // The state's Assign applies whichever way the state goes; the matched rule's, evaluated against the
            // same old values, overrides it.
            if let failure = assign(s.io.assign, input: effective, context: context, &step)
                ?? matched.flatMap({ assign(s.ruleAssigns[$0], input: effective, context: context, &step) }) {
                return fail(failure, retriers: [], catchers: [], &step)
            }
            let output = try IOPipeline.select(s.io.outputPath, in: effective, context: context, variables: variables)
            let assigned = commitAssignments(&step)
            emit("ChoiceStateExited", stateDetails(stateName, output: output, assigned: assigned), &step)
            return .goto(next, output)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }

    mutating func runWait(_ s: WaitState, _ step: inout Step) -> Flow {
        let context = s.io.readsContext ? self.context(step) : .null
        let due: Date
        do {
            let effective = try IOPipeline.select(s.io.inputPath, in: stateInput, context: context, variables: variables)
            effectiveInput = effective
            due = try waitDue(s.duration, input: effective, context: context, now: step.now)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
        let id = takeActionId()
        phase = .waiting(timerId: id)
        step.actions.append(.startTimer(id: id, due: due, purpose: .wait))
        return .blocked
    }

    private func waitDue(_ duration: WaitState.Duration, input: JSON, context: JSON, now: Date) throws(ASLError) -> Date {
        switch duration {
        case .seconds(let seconds):
            return now.addingTimeInterval(Double(seconds))
        case .timestamp(let text):
            return ASLTimestamp.parse(text) ?? now
        case .secondsPath(let path):
            guard let value = path.path.select(in: expressionScope(input, context: context)) else {
                throw ASLError(.runtime, "The SecondsPath parameter does not reference an input value: \(path.text)")
            }
            guard case .number(.int(let seconds)) = value else {
                throw ASLError(.runtime, "The SecondsPath parameter cannot be parsed as a long value: \(path.text) == \(value.stringValue ?? value.serialized())")
            }
            guard seconds >= 0 else {
                throw ASLError(.runtime, "The SecondsPath parameter references a negative value: \(path.text) == \(seconds)")
            }
            return now.addingTimeInterval(Double(seconds))
        case .timestampPath(let path):
            guard let value = path.path.select(in: expressionScope(input, context: context)) else {
                throw ASLError(.runtime, "The TimestampPath parameter does not reference an input value: \(path.text)")
            }
            guard case .string(let text) = value, let date = ASLTimestamp.parse(text) else {
                throw ASLError(.runtime, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(path.text) == \(value.stringValue ?? value.serialized())")
            }
            return date
        }
    }

    mutating func waitEnded(_ s: WaitState, _ step: inout Step) -> Flow {
        if let fields = jsonataFields(step) { return waitEndedJSONata(s, fields, &step) }
        let context = s.io.readsContext ? self.context(step) : .null
        if let failure = assign(s.io.assign, input: effectiveInput, context: context, &step) {
            return fail(failure, retriers: [], catchers: [], &step)
        }
        do {
            let output = try IOPipeline.select(s.io.outputPath, in: effectiveInput, context: context, variables: variables)
            return exit("WaitStateExited", output: output, transition: s.transition, &step)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }
}
