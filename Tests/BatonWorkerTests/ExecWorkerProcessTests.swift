import BatonPostgres
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

/// `baton worker --exec` as a real process (the built .build/debug/baton): the stdin/stdout/exit-code contract,
/// bad replies, and a worker killed with SIGKILL in the middle of a task.
@Suite struct ExecWorkerProcessTests {
    /// A function script that misbehaves on request (the task input says how).
    static let script = #"""
        input=$(cat)
        case "$input" in
          *invalid*) echo 'this is not {json' ;;
          *oversized*) head -c 300000 /dev/zero | tr '\0' 'a' ;;
          *crash*) echo "segfault-ish: gave up" >&2; exit 3 ;;
          *lambda*) echo '{"errorType":"Custom.Error","errorMessage":"it went wrong"}'; exit 1 ;;
          *hang*) sleep 600 ;;
          *empty*) ;;
          *key*) printf '{"key":"%s","attempt":%s}' "$BATON_IDEMPOTENCY_KEY" "$BATON_ATTEMPT" ;;
          *) printf '%s' "$input" ;;
        esac
        """#

    static func writeScript() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-fn-\(UUID().uuidString).sh").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func worker(_ db: QueueTestDatabase, function: String = "fn", exec: String, extra: [String] = []) throws -> BatonProcess {
        try BatonProcess(
            ["worker", "--function", function, "--exec", exec, "--database", try db.url, "--poll-seconds", "30",
             "--lease-seconds", "3", "--log-level", "warning"] + extra)
    }

    @Test func servesTasksWithTheRunFunctionContract() async throws {
        let db = try await QueueTestDatabase.create("exec_contract")
        let script = try Self.writeScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        let process = try Self.worker(db, exec: "sh \(script)", extra: ["--concurrency", "3"])
        let ids = try await db.enqueue([
            db.task("fn", input: #"{"b":[1.50,2],"a":"é"}"#),
            db.task("fn", input: #"{"case":"lambda"}"#),
            db.task("fn", input: #"{"case":"crash"}"#),
            db.task("fn", input: #"{"case":"empty"}"#),
            db.task("fn", state: "Keyed", input: #"{"case":"key"}"#),
        ])
        try await db.waitForInbox(ids)
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        let rows = try await db.taskRows()
        #expect(rows[0].status == "succeeded" && rows[0].output == #"{"b":[1.50,2],"a":"é"}"#)
        // The error object itself is the cause: the coordinator has the core shape it per resource form.
        #expect(rows[1].error == "Custom.Error" && rows[1].cause == #"{"errorType":"Custom.Error","errorMessage":"it went wrong"}"#)
        #expect(rows[2].error == "States.TaskFailed" && rows[2].cause == "segfault-ish: gave up")
        #expect(rows[3].status == "succeeded" && rows[3].output == "null")
        #expect(rows[4].output == #"{"key":"\#(db.executionID)/Keyed/1","attempt":1}"#)
        let status = try await db.withConnection {
            try await $0.query("SELECT status FROM baton.workers")[0].decode(0, as: String.self)
        }
        #expect(status == "stopped")
    }

    @Test func badRepliesEndInTheRightErrorNeverAStuckTask() async throws {
        let db = try await QueueTestDatabase.create("exec_bad_replies")
        let script = try Self.writeScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        // Concurrency 1: the task after the hang only runs if the hung process was really killed.
        let process = try Self.worker(db, exec: "sh \(script)")
        let ids = try await db.enqueue([
            db.task("fn", input: #"{"case":"invalid"}"#),
            db.task("fn", input: #"{"case":"oversized"}"#),
            db.task("fn", input: #"{"case":"hang"}"#, timeoutSeconds: 1),
            db.task("fn", input: #"{"after":"the timeout"}"#),
        ])
        try await db.waitForInbox(ids, timeout: .seconds(30))
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        let rows = try await db.taskRows()
        #expect(rows[0].error == "States.TaskFailed")
        #expect(rows[0].cause?.contains("not JSON") == true)
        #expect(rows[1].error == "States.DataLimitExceeded")
        #expect(rows[1].cause == "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.")
        #expect(rows[2].error == "States.Timeout")
        #expect(rows[3].status == "succeeded" && rows[3].output == #"{"after":"the timeout"}"#)
    }

    @Test func aWorkerKilledMidTaskHasItsTaskRedeliveredToAnother() async throws {
        let db = try await QueueTestDatabase.create("exec_kill_9")
        let id = try await db.enqueue([db.task("fn", input: #"{"n":1}"#)])[0]
        // The first worker hangs on the task (a short sleep, so the orphaned child does not linger).
        let doomed = try Self.worker(db, exec: "sleep 20")
        try await waitUntil("the first worker to claim the task") { try await db.taskRow(id).status == "running" }
        let doomedOwner = try await db.taskRow(id).leaseOwner
        doomed.send(SIGKILL)
        #expect(try await doomed.waitForExit() != 0)

        let survivor = try Self.worker(db, exec: "cat")
        let rescuer = TaskRescuer(configuration: RescueConfiguration(workerStaleAfter: 4), logger: testLogger)
        var redelivered = false
        try await waitUntil("the rescuer to redeliver the dead worker's task", timeout: .seconds(20), poll: .milliseconds(200)) {
            let report = try await db.withConnection { try await rescuer.rescue(on: $0) }
            redelivered = redelivered || report.actions.contains { $0.taskID == id && $0.kind == .redelivered }
            return redelivered
        }
        try await db.waitForInbox([id])
        let row = try await db.taskRow(id)
        #expect(row.status == "succeeded" && row.output == #"{"n":1}"#)
        #expect(row.deliveries == 2)
        #expect(row.leaseOwner != doomedOwner)
        // Its lease ran out first (3 s); its registry heartbeat goes stale a little later (4 s).
        try await waitUntil("the dead worker to be marked lost", timeout: .seconds(20), poll: .milliseconds(200)) {
            try await db.withConnection { connection in
                try await rescuer.rescue(on: connection)
                return try await connection.query(
                    "SELECT status FROM baton.workers WHERE worker_id = $1", [doomedOwner ?? ""]
                ).first?.decode(0, as: String.self) == "lost"
            }
        }
        survivor.send(SIGTERM)
        #expect(try await survivor.waitForExit() == 0)
        let statuses = try await db.withConnection {
            try await $0.query("SELECT worker_id, status FROM baton.workers ORDER BY started_at").map {
                try $0.decode(1, as: String.self)
            }
        }
        #expect(statuses == ["lost", "stopped"])
    }

    @Test func badArgumentsAreRejected() async throws {
        let process = try BatonProcess(["worker", "--function", "f", "--exec", "cat", "--concurrency", "0"])
        #expect(try await process.waitForExit() != 0)
        #expect(process.stderr.contains("--concurrency"))
    }
}
