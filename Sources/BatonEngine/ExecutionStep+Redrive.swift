// Applying a `redrive_requested` inbox row (ExecutionStore.redrive wrote it and set PENDING_REDRIVE): the
// execution row goes back to RUNNING with redrive_count + 1, tokens of the failed attempt stop working, and
// the top-level run is redriven through the core (`Run.redrive`). When the run ended in a Map or Parallel
// state whose fan-out failed or was aborted, the run resumes waiting for it, and only the items that did not
// succeed run again — a failed or stopped item from the state it ended in (recursively, for nested Maps), an
// item that never started from the beginning. Succeeded items keep their rows and outputs, so the fan-out's
// results are read back in item order as usual. The items to rerun go back to `pending` (keeping their stored
// state) and the fan-out refills them lowest index first, MaxConcurrency at a time, exactly as on a first run
// (ExecutionStep+FanOut `refill`, which redrives a pending item whose stored run can be redriven). An item of
// a DISTRIBUTED Map redrives its child execution instead, which resumes where it ended
// (ExecutionStep+MapRun `redriveMapRunChildren`); an item that never had a child starts one.
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
            try await redriveFanOut(fanOut)
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

    /// Puts the items of a fan-out that did not succeed back to `pending` and refills the fan-out from them.
    private func redriveFanOut(_ fanOutId: Int64) async throws {
        guard var fanOut = try await loadFanOut(fanOutId) else { return }
        try await flushItems()
        try await connection.execute(
            """
            WITH requeued AS (
                UPDATE baton.fan_out_items SET status = 'pending', started_at = NULL, finished_at = NULL, error = NULL, cause = NULL
                WHERE fan_out_id = $1 AND status IN ('failed', 'aborted')
            )
            UPDATE baton.fan_outs SET redrive_count = redrive_count + 1, redriven_at = now() WHERE id = $1
            """, [fanOutId], statementName: "baton_engine_redrive_requeue_items")
        let rows = try await connection.query(
            "SELECT count(*) FROM baton.fan_out_items WHERE fan_out_id = $1 AND status <> 'succeeded'",
            [fanOutId], statementName: "baton_engine_redrive_count_items")
        let rerun = try rows[0].decode(0, as: Int.self)
        fanOut.status = "running"
        fanOut.running = 0
        fanOut.failed = 0
        fanOut.succeeded = fanOut.itemCount - rerun
        (fanOut.error, fanOut.cause) = (nil, nil)
        fanOut.dirty = true
        fanOuts[fanOutId] = fanOut
        try await refill(fanOutId)
    }

    /// Starts a pending item whose stored run ended failed, timed out or aborted (a redriven fan-out's item) by
    /// redriving that run; false when the item has no such run and must start from the beginning.
    func redriveItem(_ id: Int64, fanOutId: Int64, index: Int, stored: String?) async throws -> Bool {
        guard let stored, case let run = try RunCoding.decode(Run.self, from: stored), run.isRedrivable else { return false }
        items[id] = ItemSlot(id: id, fanOutId: fanOutId, index: index, status: "running", run: run, dirty: true)
        try await redriveRun(.item(id), redriveCount: environment.execution.redriveCount)
        return true
    }
}
