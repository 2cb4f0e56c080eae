// DISTRIBUTED Map items as child executions, as AWS runs them (each item, or ItemBatcher batch, is a child
// workflow execution with its own ARN and history).
//
// The fan-out bookkeeping is the inline Map's (fan_outs counters, fan_out_items rows in index order,
// MaxConcurrency refills, tolerated failures, results ORDER BY item_index); only running an item differs:
// instead of a run in fan_out_items.state, starting an item inserts a child execution — same state machine
// and version, its interpreter state a fresh top-level run of the ItemProcessor, named by a UUID, ARN
// `…:execution:MACHINE/LABEL:UUID` (LABEL: the Map's `Label`, else its name; MapRunIdentity) — linked to the
// item (parent_fan_out_item_id, parent_waits, no parent_task_attempt), with its `execution_started` inbox
// row, in one statement. The fan-out row keeps the map run's ARN (map_run_arn). The child's final
// transaction wakes the parent with `child_finished`; applying it finishes the item like an inline item's run.
// Stopping the item (the Map failed, the parent stopped) stops the child (ChildExecutions.stopWaitedChildren).
import ASLCore
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

extension ExecutionStep {
    /// Starts `starts` (items already marked running) as child executions, in one statement.
    func startMapRunChildren(_ starts: [(id: Int64, index: Int, input: JSON)], state: FanOutState) async throws {
        guard !starts.isEmpty else { return }
        // `MACHINE/LABEL` (fan-outs stored before map runs had names: `MACHINE/STATE`).
        let machine = state.mapRun?.childMachineName ?? "\(environment.execution.stateMachineName)/\(state.stateName)"
        var records: [JSON] = []
        records.reserveCapacity(starts.count)
        for start in starts {
            let name = UUID().uuidString.lowercased()
            let run = Run(block: state.blocks[0], kind: .execution, input: start.input)
            records.append([
                "item_id": .number(.int(start.id)), "name": .string(name),
                "arn": .string(configuration.executionArn(stateMachineName: machine, executionName: name)),
                "input": .string(start.input.serialized()), "state": .string(try RunCoding.encode(run)),
            ])
        }
        try await connection.execute(
            """
            -- The children share the parent's state machine and version: their runs start at the ItemProcessor.
            WITH children AS (
                INSERT INTO baton.executions (arn, name, state_machine_id, version_id, input, state, parent_execution_id,
                    parent_fan_out_item_id, parent_state_name, parent_waits)
                SELECT r.arn, r.name, p.state_machine_id, p.version_id, r.input, r.state, p.id, r.item_id, $3, true
                FROM baton.executions p,
                     jsonb_to_recordset($2::jsonb) AS r(item_id bigint, name text, arn text, input text, state text)
                WHERE p.id = $1
                RETURNING id
            ), work AS (
                INSERT INTO baton.inbox (execution_id, kind) SELECT id, 'execution_started' FROM children RETURNING id
            )
            SELECT pg_notify('\(QueueChannel.inbox)', 'execution_started') FROM (SELECT 1 FROM work LIMIT 1) AS any_started
            """, [executionId, JSON.array(records), state.stateName], statementName: "baton_engine_start_map_run_children")
    }

    /// Items of a redriven map run whose child execution ended unsuccessfully redrive that child: it resumes at
    /// the state it ended in (ExecutionStep.redrive, through its own `redrive_requested` inbox row) instead of
    /// running its item again from the start, as AWS redrives a map run's children. Returns the items that need
    /// a new child: those that never had one, or whose child cannot be redriven (no stored run says where it
    /// ended). Only a redriven execution can have such items, so a first run skips the lookup.
    func redriveMapRunChildren(_ starts: [(id: Int64, index: Int, input: JSON)]) async throws -> [(id: Int64, index: Int, input: JSON)] {
        guard environment.execution.redriveCount > 0, !starts.isEmpty else { return starts }
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (parent_fan_out_item_id) parent_fan_out_item_id, id, status, state
            FROM baton.executions
            WHERE parent_fan_out_item_id = ANY($1::bigint[]) AND parent_waits AND parent_task_attempt IS NULL
            ORDER BY parent_fan_out_item_id, id DESC
            """, [Self.arrayLiteral(starts.map(\.id))], statementName: "baton_engine_map_run_children_to_redrive")
        var children: [Int64] = []
        var items: Set<Int64> = []
        for row in rows where ["FAILED", "TIMED_OUT", "ABORTED"].contains(try row.decode(2, as: String.self)) {
            guard let state = try row.decode(3, as: String?.self),
                  (try? RunCoding.decode(Run.self, from: state))?.isRedrivable == true else { continue }
            children.append(try row.decode(1, as: Int64.self))
            items.insert(try row.decode(0, as: Int64.self))
        }
        guard !children.isEmpty else { return starts }
        try await connection.execute(
            """
            WITH redriven AS (
                UPDATE baton.executions SET status = 'PENDING_REDRIVE', redriven_at = now()
                WHERE id = ANY($1::bigint[]) AND status IN ('FAILED', 'TIMED_OUT', 'ABORTED')
                RETURNING id
            ), work AS (
                INSERT INTO baton.inbox (execution_id, kind) SELECT id, 'redrive_requested' FROM redriven RETURNING id
            )
            SELECT pg_notify('\(QueueChannel.inbox)', 'redrive_requested') FROM (SELECT 1 FROM work LIMIT 1) AS any_redriven
            """, [Self.arrayLiteral(children)], statementName: "baton_engine_redrive_map_run_children")
        return starts.filter { !items.contains($0.id) }
    }

    /// A child execution of a DISTRIBUTED Map item ended: the item ends the same way.
    func mapRunChildFinished(_ child: ExecutionDescription, item: Int64) async throws {
        try await loadItems([item])
        guard items[item]?.status == "running" else { return }  // the item was stopped meanwhile
        let failure = RunFailure(error: child.error, cause: child.cause)
        let outcome: RunOutcome
        switch child.status {
        case "SUCCEEDED": outcome = .succeeded(try JSON(parsing: child.output ?? "null"))
        case "TIMED_OUT": outcome = .timedOut(failure)
        case "ABORTED": outcome = .aborted(failure)
        default: outcome = .failed(failure)
        }
        try await itemFinished(item, outcome: outcome)
    }
}
