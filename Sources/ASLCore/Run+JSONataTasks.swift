// JSONata mode for the states with a result (Task, Parallel, Map) and for Catch. `Arguments` makes the
// task's (or the branches') input; `Items`, `ItemSelector` and the Map numbers are expressions too. The
// result is `$states.result` in `Output` and `Assign`; a caught error is `$states.errorOutput` in the
// catcher's `Output` (whose default it is) and `Assign`.

import Foundation
import BatonJSON
import ASLExpressions

extension Run {
    mutating func runTaskJSONata(_ s: TaskState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        let token: String? = s.resourceKind?.waitsForTaskToken == true ? makeToken(&step) : nil
        let context = fields.readsContext ? self.context(step, retryCount: stateRetryCount, taskToken: token) : nil
        let scope = jsonataScope(fields, &step, context: context)
        let arguments: JSON
        var timeout: Int?
        var heartbeat: Int?
        do throws(ASLError) {
            arguments = try fields.arguments?.evaluate(field: "Arguments", in: scope) ?? stateInput
            timeout = try fields.timeoutSeconds.map { template throws(ASLError) in try template.positive(field: "TimeoutSeconds", in: scope) }
            heartbeat = try fields.heartbeatSeconds.map { template throws(ASLError) in try template.positive(field: "HeartbeatSeconds", in: scope) }
        } catch {
            return fail(evaluationFailure(error, &step), retriers: s.retriers, catchers: s.catchers, &step)
        }
        return scheduleTask(s, effective: arguments, timeout: timeout, heartbeat: heartbeat, token: token, &step)
    }

    /// The task's result arrived (its events are appended): `Output` and `Assign`, then on.
    mutating func taskSucceededJSONata(_ s: TaskState, _ fields: JSONataState, result: JSON, token: String?,
                                       _ step: inout Step) -> Flow {
        let context = fields.readsContext ? self.context(step, retryCount: stateRetryCount, taskToken: token) : nil
        let scope = jsonataScope(fields, &step, result: result, context: context)
        do {
            let output = try outputAndAssign(fields.output, fields.assign, fallback: result, scope: scope, &step)
            return exit("TaskStateExited", output: output, transition: s.transition, retriers: s.retriers,
                        catchers: s.catchers, &step)
        } catch {
            return fail(error.failure, retriers: s.retriers, catchers: s.catchers, &step)
        }
    }

    mutating func runParallelJSONata(_ s: ParallelState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step)
        let arguments: JSON
        do throws(ASLError) {
            arguments = try fields.arguments?.evaluate(field: "Arguments", in: scope) ?? stateInput
        } catch {
            return fail(evaluationFailure(error, &step), retriers: s.retriers, catchers: s.catchers,
                        failedEvent: ("ParallelStateFailed", .null), &step)
        }
        return startBranches(s, input: arguments, &step)
    }

    mutating func runMapJSONata(_ s: MapState, _ fields: JSONataState, _ step: inout Step) -> Flow {
        let scope = jsonataScope(fields, &step)
        let items: [JSON]
        let maxConcurrency: Int
        var toleratedCount: Int?
        var toleratedPercentage: Double?
        do throws(ASLError) {
            if let template = fields.items {
                items = try template.typed(field: "Items", expected: "array", in: scope) { $0.arrayValue != nil }.arrayValue ?? []
            } else {
                guard case .array(let array) = stateInput else {
                    throw JSONataScope.queryError("Map state input must be an array but was: \(stateInput.serialized())")
                }
                items = array
            }
            maxConcurrency = try fields.maxConcurrency?.integer(field: "MaxConcurrency", in: scope) ?? 0
            toleratedCount = try fields.toleratedFailureCount?.integer(field: "ToleratedFailureCount", in: scope)
            if let count = toleratedCount, count < 0 {
                throw JSONataScope.queryError("ToleratedFailureCount cannot be negative.")
            }
            toleratedPercentage = try fields.toleratedFailurePercentage?.number(field: "ToleratedFailurePercentage", in: scope)
            if let p = toleratedPercentage, p < 0 || p > 100 {
                throw JSONataScope.queryError("ToleratedFailurePercentage must be between 0 and 100.")
            }
        } catch {
            return fail(evaluationFailure(error, &step), retriers: s.retriers, catchers: s.catchers,
                        failedEvent: ("MapStateFailed", .null), &step)
        }
        emit("MapStateStarted", ["length": .int(items.count)], &step)
        var inputs = items
        do throws(ASLError) {
            if let selector = fields.itemSelector {
                guard case .object(var context) = self.context(step) else { return .blocked }
                inputs = []
                inputs.reserveCapacity(items.count)
                var itemScope = jsonataScope(fields, &step)
                for (index, item) in items.enumerated() {
                    context["Map"] = ["Item": ["Index": .int(index), "Value": item]]
                    itemScope.states["context"] = .object(context)
                    inputs.append(try selector.evaluate(field: "ItemSelector", in: itemScope))
                }
            }
            if fields.batches {
                let size = try fields.maxItemsPerBatch?.integer(field: "ItemBatcher/MaxItemsPerBatch", in: scope) ?? max(inputs.count, 1)
                let batchInput = try fields.batchInput?.evaluate(field: "ItemBatcher/BatchInput", in: scope)
                inputs = MapState.batches(of: inputs, size: size, batchInput: batchInput)
            }
        } catch {
            return fail(evaluationFailure(error, &step), retriers: s.retriers, catchers: s.catchers,
                        failedEvent: ("MapStateFailed", .null), &step)
        }
        return startMapChildren(s, inputs: inputs, maxConcurrency: maxConcurrency, toleratedCount: toleratedCount,
                                toleratedPercentage: toleratedPercentage, &step)
    }

    /// The children of a Map or Parallel succeeded (its events are appended): `Output` and `Assign`, then on.
    mutating func childrenSucceededJSONata(_ state: State, _ fields: JSONataState, outputs: [JSON],
                                           transition: Transition, _ step: inout Step) -> Flow {
        let result = JSON.array(outputs)
        return exitJSONata(fields, state.exitedEventType, result: result, fallback: result, transition: transition, &step)
    }

    /// Catcher `index` of a JSONata-mode state caught `failure`: its `Output` (default: the error output) and
    /// `Assign`, with `$states.errorOutput`; then its `Next`.
    mutating func caughtJSONata(_ catcher: Catcher, index: Int, _ fields: JSONataState, failure: RunFailure,
                                _ step: inout Step) -> Flow {
        let catcherFields = index < fields.catchers.count ? fields.catchers[index] : JSONataState.CatcherFields()
        let errorOutput = failure.errorOutput
        let scope = jsonataScope(fields, &step, errorOutput: errorOutput)
        let output: JSON
        do {
            output = try outputAndAssign(catcherFields.output, catcherFields.assign, fallback: errorOutput, scope: scope, &step)
        } catch {
            finish(.failed(error.failure), &step)
            return .done
        }
        let assigned = commitAssignments(&step)
        if let state = currentState(step) {
            emit(state.exitedEventType, stateDetails(stateName, output: output, assigned: assigned), &step)
        }
        return .goto(catcher.next, output)
    }
}
