// Applying a `redrive_requested` inbox row (ExecutionStore.redrive wrote it and set PENDING_REDRIVE): the
// execution row goes back to RUNNING with redrive_count + 1, tokens of the failed attempt stop working, and
// the top-level run is redriven through the core (`Run.redrive`). When the run ended in a Map or Parallel
// state whose fan-out failed or was aborted, the run resumes waiting for it, and only the items that did not
// succeed run again — a failed or stopped item from the state it ended in (recursively, for nested Maps), an
// item that never started from the beginning. Succeeded items keep their rows and outputs, so the fan-out's
// results are read back in item order as usual. The restarted items all start at once (MaxConcurrency is not
// applied to a redrive); the items of a DISTRIBUTED Map (child executions) start again as new children.
import ASLCore
import BatonJSON
import BatonPostgres
import Foundation

extension ExecutionStep {
    /// Redrives the execution if it is PENDING_REDRIVE.
    func redrive() async throws {
        guard root?.isRedrivable == true else {
            // ExecutionStore.redrive refuses these; should one get here, end it instead of leaving it pending.
            try await connection.execute(
                """
                UPDATE baton.executions SET status = 'ABORTED', error = 'States.Runtime',
                    cause = 'Baton could not redrive this execution: its stored state does not show where it ended'
                WHERE id = $1 AND status = 'PENDING_REDRIVE'
                """, [executionId], statementName: "baton_engine_redrive_refused")
            return
        }
        let rows = try await connection.query(
            """
            UPDATE baton.executions
            SET status = 'RUNNING', redrive_count = redrive_count + 1, redriven_at = coalesce(redriven_at, now()),
                stopped_at = NULL, output = NULL, error = NULL, cause = NULL
            WHERE id = $1 AND status = 'PENDING_REDRIVE'
            RETURNING redrive_count
            """, [executionId], statementName: "baton_engine_redrive_execution")
        guard let row = rows.first else { return }
        let count = try row.decode(0, as: Int.self)
        environment.execution.redriveCount = count
        try await connection.execute(
            "UPDATE baton.task_callbacks SET status = 'closed', finished_at = now() WHERE execution_id = $1 AND status = 'waiting'",
            [executionId], statementName: "baton_engine_redrive_close_callbacks")
        try await redriveRun(.root, redriveCount: count)
    }

    /// Redrives one run, resuming its Map/Parallel fan-out when it ended in one.
    private func redriveRun(_ key: RunKey, redriveCount: Int) async throws {
        guard var run = try await loadRun(key), run.isRedrivable else { return }
        let fanOut = try await unfinishedFanOut(of: key, run: run)
        var eventId = lastEventId
        let actions = run.redrive(in: environment, now: Date(), randomSeed: random.next(), lastEventId: &eventId,
                                  redriveCount: redriveCount, resumeChildren: fanOut != nil)
        lastEventId = eventId
        storeRun(run, key)
        try await perform(actions, for: key)
        if let fanOut, run.phase == .awaitingChildren {
            try await redriveFanOut(fanOut, redriveCount: redriveCount)
        }
    }

    /// The latest failed or aborted fan-out the run's current state started since it last entered the state (its
    /// started event follows the state's entered event).
    private func unfinishedFanOut(of key: RunKey, run: Run) async throws -> Int64? {
        let rows = try await connection.query(
            """
            SELECT id FROM baton.fan_outs
            WHERE execution_id = $1 AND parent_item_id IS NOT DISTINCT FROM $2 AND state_name = $3
              AND status IN ('failed', 'aborted') AND (state::jsonb ->> 'startedEventId')::integer >= $4
            ORDER BY id DESC LIMIT 1
            """, [executionId, key.itemId, run.stateName, run.enteredEventId],
            statementName: "baton_engine_redrive_fan_out")
        return try rows.first?.decode(0, as: Int64.self)
    }

    /// Restarts the items of a fan-out that did not succeed.
    private func redriveFanOut(_ fanOutId: Int64, redriveCount: Int) async throws {
        guard var fanOut = try await loadFanOut(fanOutId) else { return }
        let rows = try await connection.query(
            """
            SELECT id, item_index, state, input FROM baton.fan_out_items
            WHERE fan_out_id = $1 AND status <> 'succeeded' ORDER BY item_index
            """, [fanOutId], statementName: "baton_engine_redrive_items")
        fanOut.status = "running"
        fanOut.running = rows.count
        fanOut.failed = 0
        fanOut.succeeded = fanOut.itemCount - rows.count
        (fanOut.error, fanOut.cause) = (nil, nil)
        fanOut.dirty = true
        fanOuts[fanOutId] = fanOut
        if fanOut.state.kind == .distributedItem {
            // DISTRIBUTED Map items are child executions: the ones that did not succeed start again as new children.
            var starts: [(id: Int64, index: Int, input: JSON)] = []
            for row in rows {
                let id = try row.decode(0, as: Int64.self)
                let index = try row.decode(1, as: Int.self)
                items[id] = ItemSlot(id: id, fanOutId: fanOutId, index: index, status: "running", dirty: true)
                starts.append((id, index, try JSON(parsing: try row.decode(3, as: String?.self) ?? "null")))
            }
            try await startMapRunChildren(starts, state: fanOut.state)
            return
        }
        for row in rows {
            let id = try row.decode(0, as: Int64.self)
            let index = try row.decode(1, as: Int.self)
            let stored = try row.decode(2, as: String?.self).map { try RunCoding.decode(Run.self, from: $0) }
            if let stored, stored.isRedrivable {
                items[id] = ItemSlot(id: id, fanOutId: fanOutId, index: index, status: "running", run: stored, dirty: true)
                try await redriveRun(.item(id), redriveCount: redriveCount)
            } else {
                // Never started (aborted while pending): start it from the beginning.
                let input = try JSON(parsing: try row.decode(3, as: String?.self) ?? "null")
                items[id] = ItemSlot(id: id, fanOutId: fanOutId, index: index, status: "running",
                                     run: fanOut.state.childRun(index: index, input: input), dirty: true)
                enqueue(.start(.item(id)))
            }
        }
    }
}
