import BatonJSON
import BatonPostgres
import BatonQueue
import BatonTestSupport
import BatonWorker
import Foundation
import Testing

/// Results the database cannot take as they are never leave a task running: a NUL character (PostgreSQL text
/// cannot hold one) is replaced, and a result the database refuses fails its task with States.TaskFailed
/// without taking the other results written with it down too.
@Suite struct ResultRecordingTests {
    static func worker(_ db: QueueTestDatabase, _ handler: @escaping Worker.JSONHandler) -> Worker {
        Worker(function: "f", configuration: WorkerRuntimeTests.configuration(db, concurrency: 8, poll: .milliseconds(200)),
               jsonHandler: handler)
    }

    @Test func aNulCharacterInACauseIsReplacedNotFatal() async throws {
        let db = try await QueueTestDatabase.create("results_nul")
        let worker = Self.worker(db) { input, _ in
            if input["case"] == "nul" { throw TaskFailure("Bad\u{0}Name", cause: "a NUL \u{0} here") }
            return input
        }
        let ids = try await db.enqueue([db.task("f", input: #"{"case":"nul"}"#)] + (0..<5).map { db.task("f", input: #"{"n":\#($0)}"#) })
        try await WorkerRuntimeTests.running(worker) { try await db.waitForInbox(ids) }
        let rows = try await db.taskRows()
        #expect(rows[0].status == "failed" && rows[0].error == "Bad\u{FFFD}Name" && rows[0].cause == "a NUL \u{FFFD} here")
        #expect(rows.dropFirst().allSatisfy { $0.status == "succeeded" })
    }

    @Test func aResultTheDatabaseRefusesFailsItsTaskAndSparesTheOthers() async throws {
        let db = try await QueueTestDatabase.create("results_refused")
        // A trigger stands in for whatever may make the database refuse one result (a bug, a new constraint).
        try await db.withConnection { connection in
            try await connection.simpleQuery("""
                CREATE FUNCTION baton.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'poison refused'; END $$;
                CREATE TRIGGER refuse_poison BEFORE UPDATE ON baton.tasks FOR EACH ROW
                    WHEN (NEW.cause = 'poison') EXECUTE FUNCTION baton.refuse_poison();
                """)
        }
        let worker = Self.worker(db) { input, _ in
            if input["case"] == "poison" { throw TaskFailure("Poisoned", cause: "poison") }
            return input
        }
        let ids = try await db.enqueue((0..<6).map { db.task("f", input: $0 == 2 ? #"{"case":"poison"}"# : #"{"n":\#($0)}"#) })
        try await WorkerRuntimeTests.running(worker) { try await db.waitForInbox(ids) }
        let rows = try await db.taskRows()
        #expect(rows[2].status == "failed" && rows[2].error == "States.TaskFailed")
        #expect(rows[2].cause?.hasPrefix("The task's result could not be recorded: ") == true, "\(rows[2].cause ?? "nil")")
        #expect(rows[2].cause?.contains("poison refused") == true)
        #expect(rows.enumerated().filter { $0.offset != 2 }.allSatisfy { $0.element.status == "succeeded" })
    }
}
