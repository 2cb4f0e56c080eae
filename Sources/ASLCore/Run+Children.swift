// Map and Parallel: preparing the child inputs (ItemsPath, ItemSelector with `$$.Map.Item`, ItemBatcher),
// resolving MaxConcurrency and the tolerated failure thresholds, and finishing with the children's outputs.

import Foundation
import BatonJSON
import ASLExpressions

extension Run {
    mutating func runParallel(_ s: ParallelState, _ step: inout Step) -> Flow {
        let context = s.io.readsContext ? self.context(step) : .null
        let effective: JSON
        do {
            effective = try IOPipeline.effectiveInput(s.io, input: stateInput, context: context, variables: variables, random: &step.random)
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
        return startBranches(s, input: effective, &step)
    }

    /// `ParallelStateStarted`, then asks for the branches, each with `input`.
    mutating func startBranches(_ s: ParallelState, input: JSON, _ step: inout Step) -> Flow {
        let started = emit("ParallelStateStarted", .null, &step)
        phase = .awaitingChildren
        step.actions.append(.startChildren(ChildRunsRequest(
            kind: .parallelBranch, stateName: stateName, blocks: s.branches.map(\.reference),
            inputs: Array(repeating: input, count: s.branches.count), maxConcurrency: 0,
            toleratedFailureCount: nil, toleratedFailurePercentage: nil, startedEventId: started, variables: variables)))
        return .blocked
    }

    mutating func runMap(_ s: MapState, _ step: inout Step) -> Flow {
        let baseContext = s.io.readsContext ? self.context(step) : .null
        let effective: JSON
        let items: [JSON]
        do throws(ASLError) {
            effective = try IOPipeline.select(s.io.inputPath, in: stateInput, context: baseContext, variables: variables)
            var itemsValue = effective
            if let path = s.itemsPath {
                itemsValue = try path.path.value(in: expressionScope(effective, context: baseContext))
            }
            guard case .array(let array) = itemsValue else {
                throw ASLError(.runtime, "Map state input must be an array, found \(itemsValue.typeName): \(s.itemsPath?.text ?? "$")")
            }
            items = array
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
        let maxConcurrency: Int
        do throws(ASLError) {
            maxConcurrency = try integer(s.maxConcurrency, field: "MaxConcurrency",
                                         scope: expressionScope(effective, context: baseContext)) ?? 0
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
        emit("MapStateStarted", ["length": .int(items.count)], &step)
        var inputs: [JSON]
        var toleratedCount: Int?
        var toleratedPercentage: Double?
        do throws(ASLError) {
            let scope = expressionScope(effective, context: baseContext)
            toleratedCount = try integer(s.toleratedFailureCount, field: "ToleratedFailureCount", scope: scope)
            if let count = toleratedCount, count < 0 { throw ASLError(.runtime, "ToleratedFailureCount cannot be negative.") }
            toleratedPercentage = try float(s.toleratedFailurePercentage, field: "ToleratedFailurePercentage", scope: scope)
            if let p = toleratedPercentage, p < 0 || p > 100 {
                throw ASLError(.runtime, "ToleratedFailurePercentage must be between 0 and 100.")
            }
            if let selector = s.itemSelector {
                inputs = []
                inputs.reserveCapacity(items.count)
                guard case .object(var context) = self.context(step) else { return .blocked }
                for (index, item) in items.enumerated() {
                    context["Map"] = ["Item": ["Index": .int(index), "Value": item]]
                    inputs.append(try selector.evaluate(in: expressionScope(effective, context: .object(context)), random: &step.random))
                }
            } else {
                inputs = items
            }
            if let batcher = s.itemBatcher {
                let size = try integer(batcher.maxItemsPerBatch, field: "MaxItemsPerBatch", scope: scope) ?? max(inputs.count, 1)
                let batchInput = try batcher.batchInput?.evaluate(in: scope, random: &step.random)
                inputs = MapState.batches(of: inputs, size: size, batchInput: batchInput)
            }
        } catch {
            return fail(runtimeFailure(error), retriers: s.retriers, catchers: s.catchers, &step)
        }
        return startMapChildren(s, inputs: inputs, maxConcurrency: maxConcurrency, toleratedCount: toleratedCount,
                                toleratedPercentage: toleratedPercentage, &step)
    }

    /// Asks for the Map's children (after `MapRunStarted` for a distributed Map).
    mutating func startMapChildren(_ s: MapState, inputs: [JSON], maxConcurrency: Int, toleratedCount: Int?,
                                   toleratedPercentage: Double?, _ step: inout Step) -> Flow {
        var mapRun: MapRunIdentity?
        if s.mode == .distributed {
            let identity = MapRunIdentity(stateMachineArn: step.environment.execution.stateMachineArn,
                                          label: s.label ?? stateName, id: makeUUID(random: &step.random))
            emit("MapRunStarted", ["mapRunArn": .string(identity.arn)], &step)
            mapRun = identity
        }
        phase = .awaitingChildren
        step.actions.append(.startChildren(ChildRunsRequest(
            kind: s.mode == .distributed ? .distributedItem : .mapIteration, stateName: stateName,
            blocks: [s.processor.reference], inputs: inputs, maxConcurrency: maxConcurrency,
            toleratedFailureCount: toleratedCount, toleratedFailurePercentage: toleratedPercentage,
            startedEventId: lastEventId, variables: s.mode == .distributed ? [:] : variables, mapRun: mapRun)))
        return .blocked
    }

    private func integer(_ number: MapState.Number?, field: String, scope: ExpressionScope) throws(ASLError) -> Int? {
        switch number {
        case nil: return nil
        case .literal(let value)?: return Int(value)
        case .path(let path)?:
            let value = path.path.select(in: scope) ?? .null
            if case .string(let text) = value, let int = Int(text) { return int }  // AWS accepts "1"
            guard case .number(let n) = value, let int = n.exactInt else {
                throw ASLError(.runtime, "The \(field)Path field refers to value \"\(value.stringValue ?? value.serialized())\" which is not a valid integer: \(path.text)")
            }
            return int
        }
    }

    private func float(_ number: MapState.Number?, field: String, scope: ExpressionScope) throws(ASLError) -> Double? {
        switch number {
        case nil: return nil
        case .literal(let value)?: return value
        case .path(let path)?:
            let value = path.path.select(in: scope) ?? .null
            if case .string(let text) = value, let number = Double(text) { return number }
            guard case .number(let n) = value else {
                throw ASLError(.runtime, "The \(field)Path field refers to value \"\(value.stringValue ?? value.serialized())\" which is not a valid float: \(path.text)")
            }
            return n.doubleValue
        }
    }

    mutating func childrenSucceeded(_ state: State, outputs: [JSON], _ step: inout Step) -> Flow {
        phase = .created
        let io: StateIO
        let transition: Transition
        switch state {
        case .map(let s):
            if s.mode == .distributed { emit("MapRunSucceeded", .null, &step) }
            emit("MapStateSucceeded", .null, &step)
            (io, transition) = (s.io, s.transition)
        case .parallel(let s):
            emit("ParallelStateSucceeded", .null, &step)
            (io, transition) = (s.io, s.transition)
        default:
            return .blocked
        }
        if let fields = jsonataFields(step) {
            return childrenSucceededJSONata(state, fields, outputs: outputs, transition: transition, &step)
        }
        let context = io.readsContext ? self.context(step) : .null
        do {
            let selected = try IOPipeline.selectResult(io, result: .array(outputs), context: context, variables: variables, random: &step.random)
            if let failure = assign(io.assign, input: selected, context: context, &step) {
                return fail(failure, retriers: [], catchers: [], &step)
            }
            let output = try IOPipeline.output(io, input: stateInput, selected: selected, context: context, variables: variables)
            return exit(state.exitedEventType, output: output, transition: transition, &step)
        } catch {
            return fail(runtimeFailure(error), retriers: [], catchers: [], &step)
        }
    }

    mutating func childrenFailed(_ state: State, failure: RunFailure, _ step: inout Step) -> Flow {
        phase = .created
        switch state {
        case .map(let s):
            if s.mode == .distributed { emit("MapRunFailed", failure.details, &step) }
            return fail(failure, retriers: s.retriers, catchers: s.catchers, failedEvent: ("MapStateFailed", .null), &step)
        case .parallel(let s):
            return fail(failure, retriers: s.retriers, catchers: s.catchers, failedEvent: ("ParallelStateFailed", failure.details), &step)
        default:
            return .blocked
        }
    }
}

extension MapState {
    /// `ItemBatcher`: the inputs in batches of `size` (at least 1), each `{"BatchInput"?, "Items"}`.
    static func batches(of inputs: [JSON], size: Int, batchInput: JSON?) -> [JSON] {
        let perBatch = max(size, 1)
        var batches: [JSON] = []
        for start in stride(from: 0, to: inputs.count, by: perBatch) {
            var batch = JSONObject()
            if let batchInput { batch["BatchInput"] = batchInput }
            batch["Items"] = .array(Array(inputs[start..<min(start + perBatch, inputs.count)]))
            batches.append(.object(batch))
        }
        return batches
    }
}
