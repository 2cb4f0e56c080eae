// Workflow variables (`Assign`, `$name`). A run holds the variables it can see: its own assignments over a
// copy of the variables its Map iteration or Parallel branch started with (so inner states read outer
// variables, and their assignments never leak out: the only way out is the state output).
//
// One state's assignments are evaluated first, all against the variable values from before the state, by the
// query language's own code (JSONPath templates here, JSONata templates elsewhere); `applyAssignments` then
// checks AWS's size limits and holds them in the step as pending. They become visible when the state exits
// (`commitAssignments`, called by `exit`, the Choice state and a Catcher), so the rest of the state (OutputPath,
// Output) still reads the old values, and a state that fails after its Assign was evaluated assigns nothing.

import BatonJSON
import ASLExpressions

/// AWS's documented limits on workflow variables, in bytes of compact JSON text.
public enum VariableLimits {
    /// The largest value of one variable (256 KiB).
    public static let maxValueBytes = 256 * 1024
    /// The largest total of the values one `Assign` sets (256 KiB).
    public static let maxAssignBytes = 256 * 1024
    /// The largest total of all variables a run holds (10 MiB).
    public static let maxTotalBytes = 10 * 1024 * 1024
}

extension Run {
    /// Takes one state's (or one Catcher's, or one Choice rule's) evaluated assignments, `name → value`.
    /// The values must have been evaluated against the variables from before the state. Checks AWS's size
    /// limits (one value, one `Assign`, all variables) and returns the failure (`States.Runtime`) when one is
    /// exceeded; otherwise the assignments are pending in `step` and take effect when the state exits. Several
    /// calls in one state (a Choice state's `Assign` and its matched rule's) merge, later values winning.
    mutating func applyAssignments(_ values: JSONObject, _ step: inout Step) -> RunFailure? {
        if values.isEmpty { return nil }
        var assignBytes = 0
        for (name, value) in values {
            let size = value.serializedSize(upTo: VariableLimits.maxValueBytes)
            guard size <= VariableLimits.maxValueBytes else {
                return runtimeFailure("The value assigned to the variable '\(name)' exceeds the maximum size of \(VariableLimits.maxValueBytes) bytes.")
            }
            assignBytes += size
        }
        guard assignBytes <= VariableLimits.maxAssignBytes else {
            return runtimeFailure("The values assigned by the state exceed the maximum total size of \(VariableLimits.maxAssignBytes) bytes.")
        }
        var pending = step.pendingAssignments ?? [:]
        pending.merge(values) { _, new in new }
        var all = variables
        all.merge(pending) { _, new in new }
        if JSON.object(all).exceedsSerializedSize(VariableLimits.maxTotalBytes) {
            return runtimeFailure("The workflow variables exceed the maximum total size of \(VariableLimits.maxTotalBytes) bytes.")
        }
        step.pendingAssignments = pending
        return nil
    }

    /// Makes the step's pending assignments visible and returns them (for `assignedVariables` in the
    /// `…StateExited` event), or `nil` when the state assigned nothing.
    mutating func commitAssignments(_ step: inout Step) -> JSONObject? {
        guard let pending = step.pendingAssignments else { return nil }
        step.pendingAssignments = nil
        var merged = variables
        merged.merge(pending) { _, new in new }
        variables = merged
        return pending
    }

    /// Evaluates a JSONPath-mode `Assign` template against `input` (`$`) and the current variables, then
    /// hands the values to `applyAssignments`. Returns the failure to raise, if any.
    mutating func assign(_ template: PayloadTemplate?, input: JSON, context: JSON, _ step: inout Step) -> RunFailure? {
        guard let template else { return nil }
        do {
            guard case .object(let values) = try template.evaluate(in: expressionScope(input, context: context), random: &step.random) else {
                return nil
            }
            return applyAssignments(values, &step)
        } catch {
            return runtimeFailure(error)
        }
    }

    /// The scope JSONPath-mode expressions of the current state read: `$` = `input`, `$$`, and the variables.
    func expressionScope(_ input: JSON, context: JSON) -> ExpressionScope {
        ExpressionScope(input: input, context: context, variables: variables)
    }
}

extension JSON {
    /// The size of the compact JSON text of this value, or a number above `limit` once it is known to be larger.
    func serializedSize(upTo limit: Int) -> Int {
        exceedsSerializedSize(limit) ? limit + 1 : serialized().utf8.count
    }
}

extension Run {
    /// A matched catcher's JSONPath-mode `Assign`, evaluated against the error output `{"Error", "Cause"}`.
    mutating func assignCaught(_ catcher: Catcher, errorOutput: JSON, _ step: inout Step) -> RunFailure? {
        guard let template = catcher.assign else { return nil }
        let context = template.paths.contains(where: \.isContextPath) ? self.context(step) : .null
        return assign(template, input: errorOutput, context: context, &step)
    }
}
