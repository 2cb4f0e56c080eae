import BatonJSON
import BatonPostgres
import BatonQueue
import BatonTestSupport
import BatonWorker
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The Swift `Worker` end to end against a real database: tasks inserted with the enqueue API, results read
/// from the inbox.
@Suite struct WorkerRuntimeTests {
    struct Numbers: Codable, Sendable { var a: Int; var b: Int }
    struct Sum: Codable, Sendable { var sum: Int }
    struct OddInput: Error {}

    static func configuration(_ db: QueueTestDatabase, concurrency: Int = 2, poll: Duration = .seconds(60)) -> WorkerConfiguration {
        WorkerConfiguration(
            database: db.configuration, concurrency: concurrency, pollInterval: poll, leaseSeconds: 3,
            heartbeatInterval: .milliseconds(200), payloadLimit: 1000, shutdownGracePeriod: .seconds(10), logger: testLogger)
    }

    /// Runs `worker` in a service group while `body` runs, then shuts it down gracefully and waits for it.
    static func running<T: Sendable>(_ worker: Worker, _ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: [worker], logger: testLogger))
        let run = Task { try await group.run() }
        do {
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await run.value
            return value
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await run.value
            throw error
        }
    }

    @Test func codableTasksRunEndToEndWokenByNotify() async throws {
        let db = try await QueueTestDatabase.create("runtime_codable")
        let seen = Locked<[String]>([])
        // The poll interval is a minute: only the NOTIFY can wake the worker for tasks enqueued after it started.
        let worker = Worker(function: "add", configuration: Self.configuration(db, concurrency: 3)) { (input: Numbers, context: TaskContext) -> Sum in
            seen.mutate { $0.append(context.idempotencyKey) }
            return Sum(sum: input.a + input.b)
        }
        let ids = try await Self.running(worker) {
            try await waitUntil("the worker to register") {
                try await db.withConnection { try await $0.query("SELECT 1 FROM baton.workers WHERE status = 'running'").count == 1 }
            }
            let ids = try await db.enqueue((0..<20).map { db.task("add", state: "S\($0)", input: #"{"a":\#($0),"b":1}"#) })
            try await db.waitForInbox(ids)
            return ids
        }
        let rows = try await db.taskRows()
        for (index, id) in ids.enumerated() {
            let row = try #require(rows.first { $0.id == id })
            #expect(row.status == "succeeded")
            #expect(row.output == #"{"sum":\#(index + 1)}"#)
        }
        #expect(Set(seen.get()).count == 20)
        let status = try await db.withConnection {
            try await $0.query("SELECT status FROM baton.workers")[0].decode(0, as: String.self)
        }
        #expect(status == "stopped")
    }

    @Test func thrownErrorsBecomeASLErrorNames() async throws {
        let db = try await QueueTestDatabase.create("runtime_errors")
        let worker = Worker(function: "f", configuration: Self.configuration(db, poll: .milliseconds(200))) { (input: JSON, _: TaskContext) -> JSON in
            switch input["case"]?.stringValue {
            case "custom": throw TaskFailure("Custom.Failure", cause: "custom cause")
            case "swift": throw OddInput()
            case "big": return .string(String(repeating: "x", count: 2000))
            default: return input
            }
        }
        let ids = try await db.enqueue([
            db.task("f", input: #"{"case":"custom"}"#), db.task("f", input: #"{"case":"swift"}"#),
            db.task("f", input: #"{"case":"big"}"#), db.task("f", input: #"{"case":"ok"}"#),
        ])
        try await Self.running(worker) { try await db.waitForInbox(ids) }
        let rows = try await db.taskRows()
        #expect(rows[0].error == "Custom.Failure" && rows[0].cause == "custom cause")
        #expect(rows[1].error == "OddInput")
        #expect(rows[2].error == "States.DataLimitExceeded")
        #expect(rows[3].status == "succeeded" && rows[3].output == #"{"case":"ok"}"#)
    }

    @Test func inputThatDoesNotDecodeFailsWithDecodingError() async throws {
        let db = try await QueueTestDatabase.create("runtime_decoding")
        let worker = Worker(function: "add", configuration: Self.configuration(db, poll: .milliseconds(200))) { (input: Numbers, _: TaskContext) in
            Sum(sum: input.a + input.b)
        }
        let ids = try await db.enqueue([db.task("add", input: #"{"a":"one"}"#)])
        try await Self.running(worker) { try await db.waitForInbox(ids) }
        let row = try await db.taskRow(ids[0])
        #expect(row.status == "failed" && row.error == "DecodingError")
    }

    @Test func concurrencyIsBounded() async throws {
        let db = try await QueueTestDatabase.create("runtime_concurrency")
        let active = Locked(0), peak = Locked(0)
        let gate = Locked(false)
        let worker = Worker(function: "slow", configuration: Self.configuration(db, concurrency: 3, poll: .milliseconds(200))) { (input: JSON, _: TaskContext) -> JSON in
            let now = active.mutate { value -> Int in value += 1; return value }
            peak.mutate { $0 = max($0, now) }
            // Hold the slot until the test opens the gate (waiting for the test, not for time).
            while !gate.get() { try await Task.sleep(for: .milliseconds(10)) }
            active.mutate { $0 -= 1 }
            return input
        }
        let ids = try await db.enqueue((0..<9).map { db.task("slow", state: "S\($0)") })
        try await Self.running(worker) {
            try await waitUntil("three tasks running") { active.get() == 3 }
            let running = try await db.withConnection {
                try await $0.query("SELECT count(*) FROM baton.tasks WHERE status = 'running'")[0].decode(0, as: Int.self)
            }
            #expect(running == 3)
            gate.set(true)
            try await db.waitForInbox(ids)
        }
        #expect(peak.get() == 3)
        #expect(try await db.taskRows().allSatisfy { $0.status == "succeeded" })
    }

    @Test func aTimeoutCancelsTheClosureAndFailsWithStatesTimeout() async throws {
        let db = try await QueueTestDatabase.create("runtime_timeout")
        let cancelled = Locked(false)
        let worker = Worker(function: "hang", configuration: Self.configuration(db, poll: .milliseconds(200))) { (input: JSON, _: TaskContext) -> JSON in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.set(true)
                throw error
            }
            return input
        }
        let ids = try await db.enqueue([db.task("hang", timeoutSeconds: 1)])
        try await Self.running(worker) {
            try await db.waitForInbox(ids)
            try await waitUntil("the closure to see cancellation") { cancelled.get() }
        }
        let row = try await db.taskRow(ids[0])
        #expect(row.status == "failed" && row.error == "States.Timeout")
    }

    @Test func heartbeatsKeepATaskAliveAndMissingThemTimesItOut() async throws {
        let db = try await QueueTestDatabase.create("runtime_heartbeat")
        let finish = Locked(false)
        let beats = Locked(0)
        let worker = Worker(function: "beat", configuration: Self.configuration(db, concurrency: 2, poll: .milliseconds(200))) { (input: JSON, context: TaskContext) -> JSON in
            if input["beat"]?.boolValue == true {
                // Keep heartbeating (every 100 ms; HeartbeatSeconds is 8, room for a heavily loaded machine's
                // stalls) until the test says the work is done.
                while !finish.get() {
                    try await context.heartbeat()
                    beats.mutate { $0 += 1 }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return "done"
            }
            try await Task.sleep(for: .seconds(3600))
            return "never"
        }
        let ids = try await db.enqueue([
            db.task("beat", input: #"{"beat":true}"#, heartbeatSeconds: 8),
            db.task("beat", input: #"{"beat":false}"#, heartbeatSeconds: 8),
        ])
        try await Self.running(worker) {
            // Both were claimed together; once the silent one has timed out, the beating one has outlived
            // HeartbeatSeconds only thanks to its heartbeats.
            try await db.waitForInbox([ids[1]])
            #expect(try await db.taskRow(ids[0]).status == "running")
            finish.set(true)
            try await db.waitForInbox([ids[0]])
        }
        let rows = try await db.taskRows()
        #expect(rows[0].status == "succeeded" && rows[0].output == "\"done\"", "\(rows[0])")
        #expect(rows[1].status == "failed" && rows[1].error == "States.HeartbeatTimeout")
        #expect(beats.get() > 1)
    }

    @Test func aTaskTakenAwayIsCancelledAndItsResultDropped() async throws {
        let db = try await QueueTestDatabase.create("runtime_taken_away")
        let cancelled = Locked(false)
        let worker = Worker(function: "hang", configuration: Self.configuration(db, poll: .milliseconds(200))) { (input: JSON, _: TaskContext) -> JSON in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.set(true)
                throw error
            }
            return input
        }
        let id = try await db.enqueue([db.task("hang")])[0]
        try await Self.running(worker) {
            try await waitUntil("the task to run") { try await db.taskRow(id).status == "running" }
            // The coordinator stops the execution: the task is cancelled under the worker's feet.
            try await db.withConnection {
                try await $0.execute("UPDATE baton.tasks SET status = 'cancelled', finished_at = now() WHERE id = $1", [id])
            }
            try await waitUntil("the registry heartbeat to cancel the closure") { cancelled.get() }
        }
        #expect(try await db.taskRow(id).status == "cancelled")
        #expect(try await db.inboxTaskIDs() == [])
    }

    @Test func gracefulShutdownReleasesUnfinishedTasks() async throws {
        let db = try await QueueTestDatabase.create("runtime_shutdown")
        var configuration = Self.configuration(db, poll: .milliseconds(200))
        configuration.shutdownGracePeriod = .milliseconds(300)
        let worker = Worker(function: "hang", configuration: configuration) { (input: JSON, _: TaskContext) -> JSON in
            try await Task.sleep(for: .seconds(3600))
            return input
        }
        let id = try await db.enqueue([db.task("hang")])[0]
        try await Self.running(worker) {
            try await waitUntil("the task to run") { try await db.taskRow(id).status == "running" }
        }
        let row = try await db.taskRow(id)
        #expect(row.status == "available" && row.deliveries == 0 && row.leaseOwner == nil)
        let status = try await db.withConnection {
            try await $0.query("SELECT status FROM baton.workers")[0].decode(0, as: String.self)
        }
        #expect(status == "stopped")
    }

    @Test func aWrongSchemaStopsTheWorkerAtStart() async throws {
        let configuration = try await TestDatabase.create(suite: "worker_runtime_no_schema")
        let worker = Worker(
            function: "f",
            configuration: WorkerConfiguration(database: configuration, logger: testLogger)
        ) { (input: JSON, _: TaskContext) in input }
        await #expect(throws: (any Error).self) { try await worker.run() }
        do {
            try await worker.run()
        } catch {
            #expect("\(error)".contains("baton migrate"))
        }
    }

    @Test func theWorkerSurvivesItsConnectionsBeingKilled() async throws {
        let db = try await QueueTestDatabase.create("runtime_connections_killed")
        let worker = Worker(function: "echo", configuration: Self.configuration(db, concurrency: 2, poll: .milliseconds(300))) { (input: JSON, _: TaskContext) in
            input
        }
        try await Self.running(worker) {
            let first = try await db.enqueue([db.task(input: "1")])
            try await db.waitForInbox(first)
            // Kill every backend of the worker (pool and listener), as a server restart would.
            let database = try #require(db.configuration.database)
            let killed = try await TestDatabase.terminateBackends(database: database, applicationName: "baton-worker")
                + TestDatabase.terminateBackends(database: database, applicationName: "baton-worker-listener")
            #expect(!killed.isEmpty)
            let second = try await db.enqueue((0..<5).map { db.task(state: "After\($0)", input: "\($0)") })
            try await db.waitForInbox(second)
        }
        #expect(try await db.taskRows().allSatisfy { $0.status == "succeeded" })
    }

    @Test func cancellingTheWorkerReleasesItsTasksToo() async throws {
        let db = try await QueueTestDatabase.create("runtime_cancelled")
        let worker = Worker(function: "hang", configuration: Self.configuration(db, poll: .milliseconds(200))) { (input: JSON, _: TaskContext) -> JSON in
            try await Task.sleep(for: .seconds(3600))
            return input
        }
        let id = try await db.enqueue([db.task("hang")])[0]
        let run = Task { try await worker.run() }
        try await waitUntil("the task to run") { try await db.taskRow(id).status == "running" }
        run.cancel()
        try await run.value
        let row = try await db.taskRow(id)
        #expect(row.status == "available" && row.deliveries == 0)
        let status = try await db.withConnection {
            try await $0.query("SELECT status FROM baton.workers")[0].decode(0, as: String.self)
        }
        #expect(status == "stopped")
    }
}
