// Map and Parallel as rows: entering the state inserts one fan_outs row and every item in one
// INSERT … SELECT over a jsonb array of the item inputs (exact JSON text kept as strings); the first
// MaxConcurrency items are inserted already `running` and start in this transaction. As items finish, the
// counters on the fan-out row decide — exactly as ASLCore's ChildRunsTracker does for the local runner —
// whether to refill (the lowest pending indexes; on a first run these follow the started ones, after a
// redrive they are the items to rerun, whose stored runs are redriven rather than started afresh), fail
// the whole (first failure without a tolerance; threshold exceeded with one), or succeed, in which case
// the results are read back ORDER BY item_index and handed to the parent run.
import ASLCore
import BatonJSON
import BatonPostgres
import Foundation

extension ExecutionStep {
    func startChildren(_ request: ChildRunsRequest, parent: RunKey) async throws {
        let count = request.inputs.count
        let state = FanOutState(request)
        let limit = request.maxConcurrency > 0 ? request.maxConcurrency : count
        let startNow = min(count, limit)
        let fanOutRows = try await connection.query(
            """
            INSERT INTO baton.fan_outs (execution_id, parent_item_id, state_name, kind, item_count, max_concurrency,
                tolerated_failure_count, tolerated_failure_percentage, items_running, state, status, finished_at,
                map_run_arn)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                    CASE WHEN $5 = 0 THEN 'succeeded' ELSE 'running' END, CASE WHEN $5 = 0 THEN now() END, $11)
            RETURNING id
            """,
            [executionId, parent.itemId, request.stateName, request.kind == .parallelBranch ? "parallel" : "map", count,
             max(request.maxConcurrency, 0), request.toleratedFailureCount, request.toleratedFailurePercentage, startNow,
             try RunCoding.encode(state), request.mapRun?.arn],
            statementName: "baton_engine_insert_fan_out")
        let fanOutId = try fanOutRows[0].decode(0, as: Int64.self)
        if count == 0 {
            enqueue(.event(parent, .childrenSucceeded(outputs: [])))
            return
        }
        fanOuts[fanOutId] = FanOutSlot(
            id: fanOutId, parent: parent, state: state, itemCount: count, maxConcurrency: max(request.maxConcurrency, 0),
            toleratedFailureCount: request.toleratedFailureCount, toleratedFailurePercentage: request.toleratedFailurePercentage,
            running: startNow, succeeded: 0, failed: 0, status: "running", nextIndex: startNow)
        let inputs = JSON.array(request.inputs.map { .string($0.serialized()) })
        let started = try await connection.query(
            """
            -- One statement for every item, whatever the count; only the started ones come back.
            WITH inserted AS (
                INSERT INTO baton.fan_out_items (fan_out_id, execution_id, item_index, input, status, started_at)
                SELECT $1, $2, (t.ordinality - 1)::integer, t.value,
                       CASE WHEN t.ordinality <= $4 THEN 'running' ELSE 'pending' END,
                       CASE WHEN t.ordinality <= $4 THEN now() END
                FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS t(value, ordinality)
                RETURNING id, item_index
            )
            SELECT id, item_index FROM inserted WHERE item_index < $4 ORDER BY item_index
            """, [fanOutId, executionId, inputs, startNow], statementName: "baton_engine_insert_items")
        var starts: [(id: Int64, index: Int, input: JSON)] = []
        for row in started {
            starts.append((try row.decode(0, as: Int64.self), try row.decode(1, as: Int.self), request.inputs[try row.decode(1, as: Int.self)]))
        }
        try await startItems(starts, of: fanOutId, state: state)
    }

    /// Starts items: each runs here as its own run, or, for a DISTRIBUTED Map, as a child execution
    /// (ExecutionStep+MapRun.swift).
    private func startItems(_ starts: [(id: Int64, index: Int, input: JSON)], of fanOutId: Int64, state: FanOutState) async throws {
        if state.kind == .distributedItem {
            for start in starts {
                items[start.id] = ItemSlot(id: start.id, fanOutId: fanOutId, index: start.index, status: "running", dirty: true)
            }
            try await startMapRunChildren(try await redriveMapRunChildren(starts), state: state)
            return
        }
        for start in starts {
            items[start.id] = ItemSlot(id: start.id, fanOutId: fanOutId, index: start.index, status: "running",
                                       run: state.childRun(index: start.index, input: start.input), dirty: true)
            enqueue(.start(.item(start.id)))
        }
    }

    func loadFanOut(_ id: Int64) async throws -> FanOutSlot? {
        if let slot = fanOuts[id] { return slot }
        let rows = try await connection.query(
            """
            SELECT id, parent_item_id, state, item_count, max_concurrency, tolerated_failure_count,
                   tolerated_failure_percentage::float8, items_running, items_succeeded, items_failed, status
            FROM baton.fan_outs WHERE id = $1
            """, [id], statementName: "baton_engine_load_fan_out")
        guard let row = rows.first else { return nil }
        let slot = FanOutSlot(
            id: try row.decode(0), parent: RunKey(itemId: try row.decode(1, as: Int64?.self)),
            state: try RunCoding.decode(FanOutState.self, from: try row.decode(2, as: String.self)),
            itemCount: try row.decode(3), maxConcurrency: try row.decode(4), toleratedFailureCount: try row.decode(5),
            toleratedFailurePercentage: try row.decode(6), running: try row.decode(7), succeeded: try row.decode(8),
            failed: try row.decode(9), status: try row.decode(10))
        fanOuts[id] = slot
        return slot
    }

    /// An item's run ended: record it, update the counters and decide as ChildRunsTracker would.
    func itemFinished(_ id: Int64, outcome: RunOutcome) async throws {
        guard var item = items[id] else { return }
        switch outcome {
        case .succeeded(let output):
            item.status = "succeeded"
            item.output = output.serialized()
        case .failed(let failure), .timedOut(let failure):
            item.status = "failed"
            (item.error, item.cause) = (failure.error, failure.cause)
        case .aborted(let failure):
            item.status = "aborted"
            (item.error, item.cause) = (failure.error, failure.cause)
        }
        item.dirty = true
        items[id] = item
        guard var fanOut = try await loadFanOut(item.fanOutId), fanOut.status == "running" else { return }
        fanOut.running -= 1
        fanOut.dirty = true
        var failure: RunFailure?
        switch outcome {
        case .succeeded:
            fanOut.succeeded += 1
        case .failed(let f), .timedOut(let f), .aborted(let f):
            fanOut.failed += 1
            if fanOut.toleratedFailureCount == nil && fanOut.toleratedFailurePercentage == nil {
                failure = f
            } else if exceedsTolerance(fanOut) {
                failure = RunFailure(error: "States.ExceedToleratedFailureThreshold",
                                     cause: "The specified tolerated failure threshold was exceeded")
            }
        }
        fanOuts[fanOut.id] = fanOut
        if let failure {
            try await failFanOut(fanOut.id, failure: failure)
        } else if fanOut.succeeded + fanOut.failed == fanOut.itemCount {
            try await succeedFanOut(fanOut.id)
        } else {
            try await refill(fanOut.id)
        }
    }

    /// UpdateMapRun changed the fan-out's MaxConcurrency or tolerated failures (MapRunStore): fail it when its
    /// failures now exceed the threshold, else start what the new limit allows.
    func mapRunUpdated(_ fanOutId: Int64) async throws {
        guard let fanOut = try await loadFanOut(fanOutId), fanOut.status == "running" else { return }
        if fanOut.failed > 0, exceedsTolerance(fanOut) {
            try await failFanOut(fanOutId, failure: RunFailure(
                error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded"))
        } else {
            try await refill(fanOutId)
        }
    }

    private func exceedsTolerance(_ f: FanOutSlot) -> Bool {
        if let limit = f.toleratedFailureCount, f.failed > limit { return true }
        if let percentage = f.toleratedFailurePercentage, Double(f.failed) * 100 > percentage * Double(f.itemCount) { return true }
        return false
    }

    /// Starts the next pending items (lowest indexes first) while MaxConcurrency allows.
    func refill(_ fanOutId: Int64) async throws {
        guard var fanOut = fanOuts[fanOutId] else { return }
        let limit = fanOut.maxConcurrency > 0 ? fanOut.maxConcurrency : fanOut.itemCount
        let startable = max(0, min(fanOut.itemCount - fanOut.started, limit - fanOut.running))
        guard startable > 0 else { return }
        fanOut.running += startable
        fanOut.dirty = true
        fanOuts[fanOutId] = fanOut
        // From the cursor, not just by status: items started earlier in this transaction may not be written yet.
        let rows = try await connection.query(
            """
            SELECT id, item_index, input, state FROM baton.fan_out_items
            WHERE fan_out_id = $1 AND status = 'pending' AND item_index >= $2 ORDER BY item_index LIMIT $3
            """, [fanOutId, fanOut.nextIndex, startable], statementName: "baton_engine_next_items")
        if let last = rows.last { fanOuts[fanOutId]?.nextIndex = try last.decode(1, as: Int.self) + 1 }
        var starts: [(id: Int64, index: Int, input: JSON)] = []
        for row in rows {
            let (id, index) = (try row.decode(0, as: Int64.self), try row.decode(1, as: Int.self))
            if fanOut.state.kind != .distributedItem,
               try await redriveItem(id, fanOutId: fanOutId, index: index, stored: try row.decode(3, as: String?.self)) {
                continue
            }
            starts.append((id, index, try JSON(parsing: try row.decode(2, as: String?.self) ?? "null")))
        }
        try await startItems(starts, of: fanOutId, state: fanOut.state)
    }

    private func succeedFanOut(_ fanOutId: Int64) async throws {
        guard var fanOut = fanOuts[fanOutId] else { return }
        try await flushItems()
        let rows = try await connection.query(
            """
            SELECT status, output, error, cause FROM baton.fan_out_items WHERE fan_out_id = $1 ORDER BY item_index
            """, [fanOutId], statementName: "baton_engine_fan_out_results")
        var outputs: [JSON] = []
        outputs.reserveCapacity(rows.count)
        for row in rows {
            if try row.decode(0, as: String.self) == "succeeded", let text = try row.decode(1, as: String?.self) {
                outputs.append(try JSON(parsing: text))
            } else {
                outputs.append(RunFailure(error: try row.decode(2), cause: try row.decode(3)).errorOutput)
            }
        }
        fanOut.status = "succeeded"
        fanOut.dirty = true
        fanOuts[fanOutId] = fanOut
        enqueue(.event(fanOut.parent, .childrenSucceeded(outputs: outputs)))
    }

    private func failFanOut(_ fanOutId: Int64, failure: RunFailure) async throws {
        guard var fanOut = fanOuts[fanOutId] else { return }
        fanOut.status = "failed"
        (fanOut.error, fanOut.cause) = (failure.error, failure.cause)
        fanOut.dirty = true
        fanOuts[fanOutId] = fanOut
        try await stopItems(of: fanOutId)
        enqueue(.event(fanOut.parent, .childrenFailed(failure)))
    }

    /// Stops every running item of a fan-out (depth first, as the local runner does) and aborts the pending ones.
    /// A stop ends the run's task: when a worker had claimed it but its start was not recorded yet (claimed
    /// within the announcement delay, no result applied), record TaskStarted, stamped with the claim, first.
    private func startedBeforeStop(_ key: RunKey) async throws {
        guard let run = try await loadRun(key), let pending = run.pendingTask, pending.started != true,
              pending.invocation != .startExecution else { return }
        // An item's task by its item (index tasks_by_fan_out_item), a top-level one by its execution.
        let rows = try await connection.query(
            key.itemId == nil
                ? """
                  SELECT started_at FROM baton.tasks WHERE execution_id = $1 AND fan_out_item_id IS NULL
                    AND state_name = $2 AND attempt = $3 AND started_at IS NOT NULL
                  """
                : """
                  SELECT started_at FROM baton.tasks WHERE fan_out_item_id = $1
                    AND state_name = $2 AND attempt = $3 AND started_at IS NOT NULL
                  """,
            [key.itemId ?? executionId, pending.stateName, pending.attempt + 1],
            statementName: key.itemId == nil ? "baton_engine_claimed_task_start" : "baton_engine_claimed_item_task_start")
        guard let startedAt = try rows.first?.decode(0, as: Date.self) else { return }
        try await deliver(.taskStarted(taskId: pending.id), to: key, at: startedAt)
    }

    func stopItems(of fanOutId: Int64) async throws {
        let rows = try await connection.query(
            "SELECT id FROM baton.fan_out_items WHERE fan_out_id = $1 AND status = 'running' ORDER BY item_index",
            [fanOutId], statementName: "baton_engine_running_items")
        var running = try rows.map { try $0.decode(0, as: Int64.self) }
        // Items started in this transaction and not written yet.
        let known = Set(running)
        running += items.values.filter { $0.fanOutId == fanOutId && $0.status == "running" && !known.contains($0.id) }
            .sorted { $0.index < $1.index }.map(\.id)
        try await loadItems(running)
        for id in running where items[id]?.status == "running" {
            try await stopRun(.item(id), error: nil, cause: nil)
        }
        try await connection.execute(
            """
            UPDATE baton.fan_out_items SET status = 'aborted', finished_at = now()
            WHERE fan_out_id = $1 AND status = 'pending' AND item_index >= $2
            """, [fanOutId, fanOuts[fanOutId]?.nextIndex ?? 0], statementName: "baton_engine_abort_pending_items")
    }

    /// Stops a run: first whatever runs under it, then its own tasks and timers, then the run itself
    /// through the core (which appends its Aborted events and finishes it).
    func stopRun(_ key: RunKey, error: String?, cause: String?) async throws {
        let active = try await connection.query(
            """
            SELECT id FROM baton.fan_outs
            WHERE execution_id = $1 AND parent_item_id IS NOT DISTINCT FROM $2 AND status = 'running'
            """, [executionId, key.itemId], statementName: "baton_engine_active_fan_outs")
        var fanOutIds = try active.map { try $0.decode(0, as: Int64.self) }
        fanOutIds += fanOuts.values.filter { $0.parent == key && $0.status == "running" && !fanOutIds.contains($0.id) }.map(\.id)
        for fanOutId in fanOutIds {
            guard var fanOut = try await loadFanOut(fanOutId), fanOut.status == "running" else { continue }
            fanOut.status = "aborted"
            fanOut.dirty = true
            fanOuts[fanOutId] = fanOut
            try await stopItems(of: fanOutId)
        }
        if case .item(let id) = key {
            try await connection.execute(
                """
                UPDATE baton.tasks SET status = 'cancelled', finished_at = now()
                WHERE id = ANY (ARRAY(  -- locked in id order, as a worker's batch result statement locks them
                    SELECT id FROM baton.tasks WHERE fan_out_item_id = $1 AND status IN ('available', 'running')
                    ORDER BY id FOR UPDATE))
                """, [id], statementName: "baton_engine_cancel_item_tasks")
            try await connection.execute(
                "UPDATE baton.timers SET status = 'cancelled' WHERE fan_out_item_id = $1 AND status = 'pending'",
                [id], statementName: "baton_engine_cancel_item_timers")
            try await ChildExecutions.stopWaitedChildren(of: executionId, item: id, on: connection)
            newTasks.removeAll { $0.fanOutItemID == id }
            newTimers.removeAll { $0.item == id }
        }
        try await startedBeforeStop(key)
        try await deliver(.stop(error: error, cause: cause), to: key)
        // A child that was queued to start but had not started finishes without events; record it aborted.
        if case .item(let id) = key, items[id]?.status == "running" {
            items[id]?.status = "aborted"
            items[id]?.dirty = true
        }
    }
}
