// The Task state: resolving the function and its input, the scheduled/started/succeeded/failed events in
// the form AWS uses for the resource (`LambdaFunction…` for a Lambda ARN, `Task…` otherwise), and the result.

import Foundation
import BatonJSON
import ASLExpressions
import ASLDocument

extension Run {
    mutating func runTask(_ s: TaskState, _ step: inout Step) -> Flow {
        let token: String? = s.resourceKind?.waitsForTaskToken == true ? makeToken(&step) : nil
        let context = s.io.readsContext ? self.context(step, retryCount: stateRetryCount, taskToken: token) : .null
        let effective: JSON
        do {
            effective = try IOPipeline.effectiveInput(s.io, input: stateInput, context: context, variables: variables, random: &step.random)
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
        let scope = expressionScope(stateInput, context: context)
        let timeout: Int?
        let heartbeat: Int?
        do throws(ASLError) {
            timeout = try Self.seconds(s.timeoutSeconds, s.timeoutSecondsPath, field: "TimeoutSecondsPath", in: scope)
            heartbeat = try Self.seconds(s.heartbeatSeconds, s.heartbeatSecondsPath, field: "HeartbeatSecondsPath", in: scope)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
        return scheduleTask(s, effective: effective, timeout: timeout, heartbeat: heartbeat, token: token, &step)
    }

    /// `TimeoutSeconds`/`HeartbeatSeconds`, or the positive integer their `…Path` form selects.
    private static func seconds(_ literal: Int?, _ path: ASLPath?, field: String, in scope: ExpressionScope) throws(ASLError) -> Int? {
        guard let path else { return literal }
        guard let seconds = path.path.select(in: scope)?.intValue, seconds > 0 else {
            throw ASLError(.runtime, "The \(field) field does not reference a positive integer: \(path.text)")
        }
        return seconds
    }

    /// Resolves the function from the resource and the task's input (`effective`: after Parameters or
    /// Arguments), appends the scheduled event and asks for the task.
    mutating func scheduleTask(_ s: TaskState, effective: JSON, timeout: Int?, heartbeat: Int?, token: String?,
                               _ step: inout Step) -> Flow {
        var invocation = TaskInvocation.batonFunction
        var functionName = ""
        var input = effective
        switch s.resourceKind {
        case .lambdaFunction(let name, _)?:
            invocation = .lambdaFunction
            functionName = name
        case .lambdaInvoke?:
            invocation = .lambdaInvoke
            guard let name = effective["FunctionName"]?.stringValue else {
                return fail(runtimeFailure("The field 'FunctionName' is required by the resource \(s.resource)"),
                            retriers: [], catchers: [], &step)
            }
            functionName = TaskResource.functionName(fromFunctionNameParameter: name)
            input = Self.lambdaPayload(effective["Payload"])
        case .activity(let name)?:
            invocation = .activity
            functionName = name
        case .batonFunction(let name, _)?:
            functionName = name
        case .startExecution?:
            invocation = .startExecution
            functionName = "states:startExecution"
        case nil:
            return fail(runtimeFailure("Baton cannot map the resource \(s.resource) to a function"), retriers: [], catchers: [], &step)
        }
        let request = TaskRequest(id: takeActionId(), stateName: stateName, resource: s.resource, invocation: invocation,
                                  functionName: functionName, input: input, timeoutSeconds: timeout,
                                  heartbeatSeconds: heartbeat, attempt: stateRetryCount, taskToken: token)
        pendingTask = request
        phase = .awaitingTask(id: request.id)
        if invocation == .lambdaFunction {
            var details: JSONObject = ["resource": .string(s.resource), "input": input]
            if let timeout { details["timeoutInSeconds"] = .int(timeout) }
            emit("LambdaFunctionScheduled", .object(details), &step)
        } else {
            var details = resourceDetails(s)
            details["region"] = .string(region(step))
            details["parameters"] = effective
            if let timeout { details["timeoutInSeconds"] = .int(timeout) }
            if let heartbeat { details["heartbeatInSeconds"] = .int(heartbeat) }
            emit("TaskScheduled", .object(details), &step)
        }
        step.actions.append(.scheduleTask(request))
        return .blocked
    }

    mutating func taskStarted(_ step: inout Step) {
        guard let request = pendingTask, request.started != true, case .task(let s)? = currentState(step) else { return }
        pendingTask?.started = true
        if request.invocation == .lambdaFunction {
            emit("LambdaFunctionStarted", .null, &step)
        } else {
            emit("TaskStarted", .object(resourceDetails(s)), &step)
        }
    }

    mutating func taskSucceeded(_ s: TaskState, output: JSON, _ step: inout Step) -> Flow {
        guard let request = pendingTask else { return .blocked }
        phase = .created
        pendingTask = nil
        // A callback's output (SendTaskSuccess) is the result as sent; only a direct invoke gets Lambda's envelope.
        let wrapped = request.invocation == .lambdaInvoke && request.taskToken == nil
        let result = wrapped ? LambdaEnvelope.wrap(output, random: &step.random, now: step.now) : output
        if let limit = step.environment.payloadSizeLimit, result.exceedsSerializedSize(limit) {
            return taskFailed(s, failure: RunFailure(
                error: ASLErrorName.dataLimitExceeded.rawValue,
                cause: "The state/task '\(dataLimitSubject(request))' returned a result with a size exceeding the maximum number of bytes service limit."),
                &step)
        }
        if request.invocation == .lambdaFunction {
            emit("LambdaFunctionSucceeded", ["output": result], &step)
        } else {
            var details = resourceDetails(s)
            details["output"] = result
            emit("TaskSucceeded", .object(details), &step)
        }
        if let fields = jsonataFields(step) {
            return taskSucceededJSONata(s, fields, result: result, token: request.taskToken, &step)
        }
        let context = s.io.readsContext ? self.context(step, retryCount: stateRetryCount, taskToken: request.taskToken) : .null
        do {
            let selected = try IOPipeline.selectResult(s.io, result: result, context: context, variables: variables, random: &step.random)
            if let failure = assign(s.io.assign, input: selected, context: context, &step) {
                return fail(failure, retriers: s.retriers, catchers: s.catchers, &step)
            }
            let stateOutput = try IOPipeline.output(s.io, input: stateInput, selected: selected, context: context, variables: variables)
            return exit("TaskStateExited", output: stateOutput, transition: s.transition, retriers: s.retriers, catchers: s.catchers, &step)
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
    }

    mutating func taskFailed(_ s: TaskState, failure: RunFailure, _ step: inout Step) -> Flow {
        let invocation = pendingTask?.invocation ?? .batonFunction
        var failure = failure
        if invocation == .lambdaInvoke, failure.cause == nil { failure.cause = "" }  // as AWS reports lambda:invoke timeouts
        phase = .created
        pendingTask = nil
        let timedOut = failure.error == ASLErrorName.timeout.rawValue || failure.error == ASLErrorName.heartbeatTimeout.rawValue
        if invocation == .lambdaFunction {
            emit(timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed", failure.details, &step)
        } else {
            var details = resourceDetails(s)
            if case .object(let members) = failure.details { details.merge(members) { _, new in new } }
            emit(timedOut ? "TaskTimedOut" : "TaskFailed", .object(details), &step)
        }
        return fail(failure, retriers: s.retriers, catchers: s.catchers, &step)
    }

    /// What AWS names in a `States.DataLimitExceeded` cause: `lambda` for `lambda:invoke`, the function ARN for a
    /// Lambda ARN resource, else the state.
    private func dataLimitSubject(_ request: TaskRequest) -> String {
        switch request.invocation {
        case .lambdaInvoke: "lambda"
        case .lambdaFunction: request.resource
        default: stateName
        }
    }

    /// The event a `lambda:invoke` function receives: no or null `Payload` is `{}`; a string `Payload` is the
    /// request body itself (JSON text), as Lambda's Invoke API takes it.
    static func lambdaPayload(_ payload: JSON?) -> JSON {
        switch payload {
        case nil, .null?: return .object([:])
        case .string(let text)?: return (try? JSON(parsing: text)) ?? .string(text)
        case let value?: return value
        }
    }

    private func resourceDetails(_ s: TaskState) -> JSONObject {
        switch s.resourceKind {
        case .lambdaInvoke?: return ["resourceType": "lambda", "resource": "invoke"]
        case .startExecution?: return ["resourceType": "states", "resource": .string(String(s.resource.dropFirst("arn:aws:states:::states:".count)))]
        case .activity?: return ["resourceType": "activity", "resource": .string(s.resource)]
        default: return ["resourceType": "baton", "resource": .string(s.resource)]
        }
    }

    private func region(_ step: Step) -> String {
        let parts = step.environment.execution.stateMachineArn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 ? String(parts[3]) : ""
    }

    /// The driver's secret nonce (if any) followed by 256 bits of the seeded random.
    func makeToken(_ step: inout Step) -> String {
        (step.environment.taskTokenNonce ?? "") + (0..<4).map { _ in String(step.random.next(), radix: 16) }.joined()
    }
}

extension TaskResource {
    /// Whether the resource uses the `.waitForTaskToken` pattern.
    var waitsForTaskToken: Bool {
        switch self {
        case .lambdaInvoke(let pattern), .batonFunction(_, let pattern), .startExecution(let pattern): pattern == .waitForTaskToken
        default: false
        }
    }
}
