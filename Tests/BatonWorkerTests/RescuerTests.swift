import BatonPostgres
import BatonQueue
import BatonTestSupport
import BatonWorker
import ServiceLifecycle
import Foundation
import Testing

/// The rescuer: lost workers' tasks are redelivered up to max_deliveries; deadlines fail tasks with AWS's errors.
@Suite struct RescuerTests {
    let queue = TaskQueue(logger: testLogger)
    let rescuer = TaskRescuer(configuration: RescueConfiguration(workerStaleAfter: 30), logger: testLogger)

    func claim(_ db: QueueTestDatabase, worker: String, leaseSeconds: Double = 60) async throws -> ClaimedTask {
        try #require(
            try await db.withConnection {
                try await queue.claim(functionName: "echo", workerID: worker, limit: 1, leaseSeconds: leaseSeconds, on: $0)
            }.first)
    }

    func rescue(_ db: QueueTestDatabase) async throws -> RescueReport {
        try await db.withConnection { try await rescuer.rescue(on: $0) }
    }

    /// Runs rescue passes until one acts on a task; returns that pass's report.
    func rescueUntilActing(_ db: QueueTestDatabase, _ description: String) async throws -> RescueReport {
        var acted: RescueReport?
        try await waitUntil(description, timeout: .seconds(15), poll: .milliseconds(100)) {
            let report = try await rescue(db)
            if !report.actions.isEmpty { acted = report }
            return acted != nil
        }
        return acted!
    }

    @Test func aDeadWorkersTaskIsRedeliveredThenFailsAfterMaxDeliveries() async throws {
        let db = try await QueueTestDatabase.create("rescue_redeliver")
        let id = try await db.enqueue([db.task(maxDeliveries: 2)])[0]
        try await db.registerWorker("alive")
        try await db.registerWorker("dead-1", heartbeatSecondsAgo: 120)
        _ = try await claim(db, worker: "dead-1")  // its lease is still valid, but its worker stopped heartbeating

        var report = try await rescue(db)
        #expect(report.lostWorkers == ["dead-1"])
        #expect(report.actions == [.init(taskID: id, executionID: db.executionID, functionName: "echo", kind: .redelivered, previousOwner: "dead-1")])
        var row = try await db.taskRow(id)
        #expect(row.status == "available" && row.deliveries == 1 && row.leaseOwner == nil)
        #expect(try await db.inboxTaskIDs() == [])  // a redelivery is no result

        // Second delivery: the lease runs out (the holder stopped renewing it) → the last allowed delivery is lost.
        let second = try await claim(db, worker: "alive", leaseSeconds: 0.2)
        #expect(second.delivery == 2)
        report = try await rescueUntilActing(db, "the second delivery's lease to expire")
        #expect(report.actions.map(\.kind) == [.workerLost])
        row = try await db.taskRow(id)
        #expect(row.status == "failed" && row.error == "States.TaskFailed")
        #expect(row.cause?.contains("worker running the task was lost") == true)
        #expect(row.cause?.contains("delivered 2 time(s)") == true)
        #expect(try await db.inboxTaskIDs() == [id])
        let status = try await db.withConnection {
            try await $0.query("SELECT status FROM baton.workers WHERE worker_id = 'dead-1'")[0].decode(0, as: String.self)
        }
        #expect(status == "lost")
    }

    @Test func aStoppedWorkersTaskIsRedeliveredAtOnce() async throws {
        let db = try await QueueTestDatabase.create("rescue_stopped_worker")
        let id = try await db.enqueue([db.task()])[0]
        try await db.registerWorker("gone")
        _ = try await claim(db, worker: "gone")
        try await db.withConnection { try await WorkerRegistry(logger: testLogger).stop(workerID: "gone", on: $0) }
        let report = try await rescue(db)
        #expect(report.actions.map(\.kind) == [.redelivered])
        #expect(try await db.taskRow(id).status == "available")
    }

    @Test func timeoutSecondsFailsWithStatesTimeout() async throws {
        let db = try await QueueTestDatabase.create("rescue_timeout")
        let id = try await db.enqueue([db.task(timeoutSeconds: 4, heartbeatSeconds: 30)])[0]
        try await db.registerWorker("w")
        _ = try await claim(db, worker: "w")
        let report = try await rescueUntilActing(db, "TimeoutSeconds to pass")
        #expect(report.actions.map(\.kind) == [.timedOut])
        let row = try await db.taskRow(id)
        #expect(row.status == "failed" && row.error == "States.Timeout" && row.cause == nil)
        // Never early: TimeoutSeconds counts from scheduling, and the rescue that failed the task ran after it.
        // (Checked from the row rather than by an earlier rescue that must find nothing, which a loaded machine
        // could delay past the deadline.)
        let afterDeadline = try await db.withConnection {
            try await $0.query("""
                SELECT finished_at >= timeout_at AND timeout_at = created_at + interval '4 seconds'
                FROM baton.tasks WHERE id = $1
                """, [id])[0].decode(0, as: Bool.self)
        }
        #expect(afterDeadline, "the task was failed before its TimeoutSeconds had passed since scheduling")
        #expect(try await db.inboxTaskIDs() == [id])
    }

    @Test func aMissedHeartbeatFailsWithStatesHeartbeatTimeout() async throws {
        let db = try await QueueTestDatabase.create("rescue_heartbeat")
        let id = try await db.enqueue([db.task(timeoutSeconds: 60, heartbeatSeconds: 1)])[0]
        try await db.registerWorker("w")
        _ = try await claim(db, worker: "w")
        let report = try await rescueUntilActing(db, "HeartbeatSeconds to pass")
        #expect(report.actions.map(\.kind) == [.heartbeatTimedOut])
        let row = try await db.taskRow(id)
        #expect(row.status == "failed" && row.error == "States.HeartbeatTimeout")
        #expect(try await db.inboxTaskIDs() == [id])
    }

    @Test func theRegistryHeartbeatExtendsLeasesAndReportsTakenTasks() async throws {
        let db = try await QueueTestDatabase.create("rescue_registry_heartbeat")
        let ids = try await db.enqueue([db.task(), db.task()])
        try await db.registerWorker("w")
        let registry = WorkerRegistry(logger: testLogger)
        let first = try await claim(db, worker: "w", leaseSeconds: 1)
        let second = try await claim(db, worker: "w", leaseSeconds: 1)
        // The coordinator cancels the second task (execution stopped).
        try await db.withConnection {
            try await $0.execute("UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE id = $1", [ids[1]])
        }
        let beat = try await db.withConnection {
            try await registry.heartbeat(workerID: "w", tasksInFlight: 2, leaseSeconds: 120, on: $0)
        }
        #expect(beat == .alive(status: "running", leases: [first.id: first.leaseToken]))
        #expect(second.id == ids[1])
        // Declared lost: the heartbeat says so and extends nothing; registering again revives the worker.
        try await db.withConnection {
            try await $0.execute("UPDATE baton.workers SET status = 'lost', stopped_at = now() WHERE worker_id = 'w'")
            #expect(try await registry.heartbeat(workerID: "w", tasksInFlight: 1, leaseSeconds: 120, on: $0) == .lost)
        }
        try await db.registerWorker("w")
        let revived = try await db.withConnection {
            try await registry.heartbeat(workerID: "w", tasksInFlight: 1, leaseSeconds: 120, on: $0)
        }
        #expect(revived == .alive(status: "running", leases: [first.id: first.leaseToken]))
        // The extended lease keeps the rescuer away.
        #expect(try await rescue(db).actions.isEmpty)
    }

    @Test func theRescuerServiceRedeliversPeriodically() async throws {
        let db = try await QueueTestDatabase.create("rescue_service")
        let id = try await db.enqueue([db.task()])[0]
        try await db.registerWorker("dead", heartbeatSecondsAgo: 600)
        _ = try await claim(db, worker: "dead")
        let service = RescuerService(rescuer: rescuer, database: db.configuration, interval: .milliseconds(100))
        let group = ServiceGroup(configuration: .init(services: [service], logger: testLogger))
        let running = Task { try await group.run() }
        try await waitUntil("the service to redeliver the task") { try await db.taskRow(id).status == "available" }
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
