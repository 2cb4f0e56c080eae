import BatonPostgres
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

/// Results: recorded with an inbox row and a NOTIFY in one transaction; fenced by the lease token.
@Suite struct CompletionTests {
    let queue = TaskQueue(logger: testLogger)

    func claimOne(_ db: QueueTestDatabase, worker: String, leaseSeconds: Double = 30) async throws -> ClaimedTask {
        try #require(
            try await db.withConnection {
                try await queue.claim(functionName: "echo", workerID: worker, limit: 1, leaseSeconds: leaseSeconds, on: $0)
            }.first)
    }

    @Test func aResultWritesAnInboxRowAndNotifiesAfterCommit() async throws {
        let db = try await QueueTestDatabase.create("complete_notify")
        let id = try await db.enqueue([db.task()])[0]
        let task = try await claimOne(db, worker: "w")
        let listener = PostgresListener(configuration: db.configuration, channels: [QueueChannel.inbox], logger: testLogger)
        let events = EventCollector(listener.events())
        defer { Task { await listener.stop() } }
        try await events.waitFor("listening") { if case .listening = $0 { true } else { false } }

        let worker = try await PostgresConnection.connect(db.configuration, logger: testLogger)
        defer { Task { await worker.close() } }
        try await worker.simpleQuery("BEGIN")
        let result = try await queue.complete(taskID: id, leaseToken: task.leaseToken, outcome: .succeeded(output: #"{"z":1,"a":2}"#), on: worker)
        guard case .recorded(let inboxID) = result else {
            Issue.record("expected the result to be recorded, got \(result)")
            return
        }
        #expect(try await db.inboxTaskIDs() == [])  // not visible before commit
        // A marker committed before the result: notifications arrive in commit order, so the result's NOTIFY
        // arriving after the marker shows it was not delivered before its transaction committed.
        try await db.withConnection { try await $0.execute("SELECT pg_notify($1, 'marker')", [QueueChannel.inbox]) }
        try await events.waitFor("marker") { if case .notification(_, "marker") = $0 { true } else { false } }
        try await worker.simpleQuery("COMMIT")
        try await events.waitFor("task_finished") { if case .notification(_, "task_finished") = $0 { true } else { false } }
        let payloads = events.elements.compactMap { event -> String? in
            if case .notification(_, let payload) = event { payload } else { nil }
        }
        #expect(payloads == ["marker", "task_finished"])
        #expect(try await db.inboxTaskIDs() == [id])
        #expect(inboxID > 0)
        let row = try await db.taskRow(id)
        #expect(row.status == "succeeded" && row.output == #"{"z":1,"a":2}"#)
    }

    @Test func aFailureRecordsErrorAndCause() async throws {
        let db = try await QueueTestDatabase.create("complete_failure")
        let id = try await db.enqueue([db.task()])[0]
        let task = try await claimOne(db, worker: "w")
        let result = try await db.withConnection {
            try await queue.complete(taskID: id, leaseToken: task.leaseToken, outcome: .failed(error: "Custom.Error", cause: "why"), on: $0)
        }
        #expect(result != .rejected(currentStatus: "running"))
        let row = try await db.taskRow(id)
        #expect(row.status == "failed" && row.error == "Custom.Error" && row.cause == "why" && row.output == nil)
        #expect(try await db.inboxTaskIDs() == [id])
    }

    @Test func aLateResultAfterATakeoverIsRejected() async throws {
        let db = try await QueueTestDatabase.create("complete_late_result")
        let id = try await db.enqueue([db.task()])[0]
        try await db.registerWorker("dead", heartbeatSecondsAgo: 600)
        let old = try await claimOne(db, worker: "dead")
        let report = try await db.withConnection {
            try await TaskRescuer(configuration: RescueConfiguration(workerStaleAfter: 30), logger: testLogger).rescue(on: $0)
        }
        #expect(report.lostWorkers == ["dead"])
        #expect(report.actions.map(\.kind) == [.redelivered])
        let new = try await claimOne(db, worker: "alive")
        #expect(new.id == id && new.delivery == 2 && new.leaseToken != old.leaseToken)

        try await db.withConnection { connection in
            let late = try await queue.complete(taskID: id, leaseToken: old.leaseToken, outcome: .succeeded(output: "\"late\""), on: connection)
            #expect(late == .rejected(currentStatus: "running"))
            let heartbeat = try await queue.heartbeat(taskID: id, leaseToken: old.leaseToken, leaseSeconds: 30, on: connection)
            #expect(heartbeat == .lost)
            #expect(try await queue.release(taskID: id, leaseToken: old.leaseToken, on: connection) == false)
        }
        var row = try await db.taskRow(id)
        #expect(row.status == "running" && row.leaseOwner == "alive" && row.output == nil)
        #expect(try await db.inboxTaskIDs() == [])

        let current = try await db.withConnection {
            try await queue.complete(taskID: id, leaseToken: new.leaseToken, outcome: .succeeded(output: "\"current\""), on: $0)
        }
        guard case .recorded = current else {
            Issue.record("the current holder's result was not recorded: \(current)")
            return
        }
        row = try await db.taskRow(id)
        #expect(row.status == "succeeded" && row.output == "\"current\"")
        // A second report of the same result (e.g. a retry after a lost reply) is rejected, not applied twice.
        let again = try await db.withConnection {
            try await queue.complete(taskID: id, leaseToken: new.leaseToken, outcome: .succeeded(output: "\"again\""), on: $0)
        }
        #expect(again == .rejected(currentStatus: "succeeded"))
        #expect(try await db.inboxTaskIDs() == [id])
    }

    @Test func heartbeatMovesTheDeadlineAndReleaseGivesTheDeliveryBack() async throws {
        let db = try await QueueTestDatabase.create("complete_heartbeat_release")
        let id = try await db.enqueue([db.task(heartbeatSeconds: 100)])[0]
        let task = try await claimOne(db, worker: "w")
        let firstDeadline = try #require(task.heartbeatDeadlineAt)
        try await db.withConnection { connection in
            let result = try await queue.heartbeat(taskID: id, leaseToken: task.leaseToken, leaseSeconds: 30, on: connection)
            guard case .extended(let deadline?) = result else {
                Issue.record("expected an extended heartbeat deadline, got \(result)")
                return
            }
            #expect(deadline > firstDeadline)
            #expect(try await queue.release(taskID: id, leaseToken: task.leaseToken, on: connection))
        }
        let row = try await db.taskRow(id)
        #expect(row.status == "available" && row.deliveries == 0 && row.leaseOwner == nil)
        let again = try await claimOne(db, worker: "w2")
        #expect(again.id == id && again.delivery == 1)
    }

    @Test func aBatchRecordsCurrentResultsAndRejectsStaleOnes() async throws {
        let db = try await QueueTestDatabase.create("complete_batch")
        let ids = try await db.enqueue((0..<4).map { db.task(state: "S\($0)") })
        let tasks = try await db.withConnection {
            try await queue.claim(functionName: "echo", workerID: "w", limit: 4, leaseSeconds: 30, on: $0)
        }
        #expect(tasks.map(\.id) == ids)
        // The coordinator cancelled the third task meanwhile.
        try await db.withConnection {
            try await $0.execute("UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE id = $1", [ids[2]])
        }
        let results = try await db.withConnection {
            try await queue.complete(
                [
                    (ids[3], tasks[3].leaseToken, .failed(error: "E", cause: nil)),
                    (ids[0], tasks[0].leaseToken, .succeeded(output: "[1, 2]")),
                    (ids[1], UUID(), .succeeded(output: "\"stale token\"")),
                    (ids[2], tasks[2].leaseToken, .succeeded(output: "\"cancelled meanwhile\"")),
                ], on: $0)
        }
        #expect(results.count == 4)
        #expect(results[2] == .rejected(currentStatus: "running"))
        #expect(results[3] == .rejected(currentStatus: "cancelled"))
        guard case .recorded = results[0], case .recorded = results[1] else {
            Issue.record("expected the current results to be recorded: \(results)")
            return
        }
        let rows = try await db.taskRows()
        #expect(rows.map(\.status) == ["succeeded", "running", "cancelled", "failed"])
        #expect(rows[0].output == "[1, 2]" && rows[3].error == "E")
        #expect(Set(try await db.inboxTaskIDs()) == [ids[0], ids[3]])
    }
}
