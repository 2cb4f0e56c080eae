import BatonPostgres
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

/// Claiming: River's order (priority, run_after, id), leases, and SKIP LOCKED under concurrency.
@Suite struct ClaimTests {
    let queue = TaskQueue(logger: testLogger)

    @Test func claimsInPriorityRunAfterIdOrderAndSkipsFutureTasks() async throws {
        let db = try await QueueTestDatabase.create("claim_order")
        let ids = try await db.enqueue([
            db.task(state: "normal"),
            db.task(state: "urgent", priority: 0),
            db.task(state: "older", runAfter: Date().addingTimeInterval(-3600)),
            db.task(state: "future", runAfter: Date().addingTimeInterval(3600)),
            db.task("other", state: "other function"),
        ])
        try await db.withConnection { connection in
            var order: [Int64] = []
            while let next = try await queue.claim(functionName: "echo", workerID: "w", limit: 1, leaseSeconds: 30, on: connection).first {
                order.append(next.id)
                #expect(next.delivery == 1)
                #expect(next.idempotencyKey == "\(db.executionID)/\(next.stateName)/1")
            }
            #expect(order == [ids[1], ids[2], ids[0]])
        }
        let rows = try await db.taskRows()
        #expect(rows.map(\.status) == ["running", "running", "running", "available", "available"])
        #expect(rows[0].leaseOwner == "w")
    }

    @Test func claimSetsLeaseAndDeadlines() async throws {
        let db = try await QueueTestDatabase.create("claim_lease")
        try await db.enqueue([db.task(input: #"{"b":1,"a":2.50}"#, timeoutSeconds: 60, heartbeatSeconds: 10)])
        let task = try #require(
            try await db.withConnection {
                try await queue.claim(functionName: "echo", workerID: "w", limit: 5, leaseSeconds: 30, on: $0)
            }.first)
        #expect(task.input == #"{"b":1,"a":2.50}"#)  // exact text, key order kept
        #expect(task.timeoutSeconds == 60 && task.heartbeatSeconds == 10)
        let timeoutAt = try #require(task.timeoutAt), heartbeatAt = try #require(task.heartbeatDeadlineAt)
        // TimeoutSeconds counts from scheduling (the enqueue), the heartbeat and the lease from this claim, which
        // came a little later: so the timeout is at most 50 s after the heartbeat deadline, and not much less.
        #expect(timeoutAt.timeIntervalSince(heartbeatAt) <= 50.001 && timeoutAt.timeIntervalSince(heartbeatAt) > 45)
        #expect(abs(heartbeatAt.timeIntervalSince(task.leaseExpiresAt) + 20) < 0.01)
        // The claim writes nothing for the history (TaskStarted comes with the result, or an announcement).
        let inboxRows = { try await db.withConnection { try await $0.query("SELECT count(*) FROM baton.inbox").first!.decode(0, as: Int.self) } }
        #expect(try await inboxRows() == 0)
        // Released and claimed again: the same attempt, with its timeout still counted from scheduling.
        let again = try await db.withConnection { connection in
            _ = try await queue.release(taskID: task.id, leaseToken: task.leaseToken, on: connection)
            return try await queue.claim(functionName: "echo", workerID: "w2", limit: 5, leaseSeconds: 30, on: connection)
        }
        #expect(again.map(\.id) == [task.id] && again.first?.timeoutAt == task.timeoutAt)
        // Only the current holder can announce the start.
        let announced = try await db.withConnection { connection in
            (try await queue.announceStarted([(task.id, task.leaseToken)], on: connection),
             try await queue.announceStarted([(again[0].id, again[0].leaseToken)], on: connection))
        }
        #expect(announced == (0, 1))
        #expect(try await inboxRows() == 1)
    }

    @Test func aLockedTaskIsSkippedNotWaitedFor() async throws {
        let db = try await QueueTestDatabase.create("claim_skip_locked")
        let ids = try await db.enqueue((0..<5).map { db.task(state: "S\($0)") })
        let holder = try await PostgresConnection.connect(db.configuration, logger: testLogger)
        defer { Task { await holder.close() } }
        let other = try await PostgresConnection.connect(db.configuration, logger: testLogger)
        defer { Task { await other.close() } }
        try await holder.simpleQuery("BEGIN")
        let first = try await queue.claim(functionName: "echo", workerID: "a", limit: 2, leaseSeconds: 30, on: holder)
        // The first claim's transaction is still open: its rows are locked. The second claimer skips them.
        let second = try await queue.claim(functionName: "echo", workerID: "b", limit: 10, leaseSeconds: 30, on: other)
        try await holder.simpleQuery("COMMIT")
        #expect(first.map(\.id) == Array(ids[0..<2]))
        #expect(second.map(\.id) == Array(ids[2..<5]))
    }

    @Test func concurrentClaimersNeverShareATask() async throws {
        let db = try await QueueTestDatabase.create("claim_concurrent")
        let ids = try await db.enqueue((0..<300).map { db.task(state: "S\($0)") })
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for claimer in 0..<8 {
                group.addTask {
                    try await db.withConnection { connection in
                        var mine: [Int64] = []
                        while true {
                            let batch = try await queue.claim(
                                functionName: "echo", workerID: "w\(claimer)", limit: 3, leaseSeconds: 30, on: connection)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
            }
            var all: [[Int64]] = []
            for try await mine in group { all.append(mine) }
            return all
        }
        let flat = claimed.flatMap { $0 }
        #expect(flat.count == ids.count)
        #expect(Set(flat) == Set(ids))
        #expect(claimed.filter { !$0.isEmpty }.count > 1)
        let rows = try await db.taskRows()
        #expect(rows.allSatisfy { $0.status == "running" && $0.deliveries == 1 })
    }

    @Test func enqueueNotifiesTheFunctionChannelOnCommitOnly() async throws {
        let db = try await QueueTestDatabase.create("claim_enqueue_notify")
        let listener = PostgresListener(configuration: db.configuration, channels: [QueueChannel.tasks], logger: testLogger)
        let events = EventCollector(listener.events())
        defer { Task { await listener.stop() } }
        try await events.waitFor("listening") { if case .listening = $0 { true } else { false } }
        try await db.withConnection { connection in
            // Rolled back: no notification. Committed: one per function.
            struct RollBack: Error {}
            await #expect(throws: RollBack.self) {
                try await connection.transaction { connection in
                    try await queue.enqueue([db.task("rolled_back")], on: connection)
                    throw RollBack()
                }
            }
            try await queue.enqueue([db.task("f1"), db.task("f1"), db.task("f2")], on: connection)
            try await connection.execute("SELECT pg_notify($1, 'marker')", [QueueChannel.tasks])
        }
        try await events.waitFor("marker") { if case .notification(_, "marker") = $0 { true } else { false } }
        let payloads = events.elements.compactMap { event -> String? in
            if case .notification(_, let payload) = event { payload } else { nil }
        }
        #expect(payloads == ["f1", "f2", "marker"])
    }
}
