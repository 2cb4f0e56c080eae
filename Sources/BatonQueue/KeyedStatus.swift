// A status condition for statements that find their rows by a key (an id, an execution id, a task id).
//
// Baton's tables keep small partial indexes of the rows in one status (tasks running, timers pending,
// executions RUNNING, …) for the scans that look for exactly those rows. From a plain `status = 'running'`
// the planner may also pick such an index for a statement that names its rows by key, reading every entry
// of it and filtering on the key, because the index is small and its statistics lag a busy table. That makes a
// keyed write cost as much as there are rows in that status: `baton bench` caught the batch complete reading
// the whole running-tasks index per result, and stopping a finished execution's children reading all 10,000
// RUNNING executions (1.5 ms a call, a third of the drain rate lost in one run). Written as
// `(status = 'running') IS TRUE` — the same for a NOT NULL column — the condition no longer implies the
// partial index's predicate, and the key's own index is the one left.
/// The condition "`status` is `value`" for keyed statements; see the file comment.
public enum KeyedStatus {
    /// `(alias.status = 'value') IS TRUE`; `value` is a fixed status name, never user input.
    public static func `is`(_ value: String, alias: String? = nil) -> String {
        "(\(alias.map { "\($0)." } ?? "")status = '\(value)') IS TRUE"
    }
}
