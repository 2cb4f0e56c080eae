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

    /// A write canceled from outside the worker (an operator's pg_cancel_backend, a statement_timeout, a stray
    /// cancel request) is not a refusal: the results are written again and the tasks succeed.
    @Test func aResultWriteCanceledFromOutsideIsWrittenAgain() async throws {
        let db = try await QueueTestDatabase.create("results_canceled")
        // The first write of a result is canceled (a sequence counts attempts: it is not rolled back with them).
        try await db.withConnection { connection in
            try await connection.simpleQuery("""
                CREATE SEQUENCE baton.result_writes;
                CREATE FUNCTION baton.cancel_first_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('baton.result_writes') = 1 THEN
                        RAISE EXCEPTION 'canceling statement due to user request' USING ERRCODE = 'query_canceled';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER cancel_first_write BEFORE UPDATE ON baton.tasks FOR EACH ROW
                    WHEN (NEW.status = 'succeeded') EXECUTE FUNCTION baton.cancel_first_write();
                """)
        }
        let worker = Self.worker(db) { input, _ in input }
        let ids = try await db.enqueue([db.task("f", input: #"{"n":1}"#)])
        try await WorkerRuntimeTests.running(worker) { try await db.waitForInbox(ids) }
        let rows = try await db.taskRows()
        #expect(rows.map(\.status) == ["succeeded"], "\(rows.map { ($0.status, $0.cause ?? "") })")
        let writes = try await db.withConnection { connection in
            try await connection.query("SELECT last_value FROM baton.result_writes").first?.decode(0, as: Int.self)
        }
        #expect(writes == 2, "canceled once, then written")
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
