// Redrive through the engine: a Map whose odd items fail fails the execution; after the function is fixed,
// a redrive reruns only the items that did not succeed (each item's function runs are counted), the history
// says ExecutionRedriven, and the rules of RedriveExecution hold (not while running, not once succeeded).
import ASLCore
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonTestSupport
import BatonWorker
import Foundation
import Testing

@Suite("Redrive", .serialized) struct RedriveTests {
    static let machine = """
        {"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Next":"Each"},
          "Each":{"Type":"Map","ItemsPath":"$.items","Next":"Done",
                  "ItemProcessor":{"StartAt":"Work","States":{
                    "Work":{"Type":"Task","Resource":"baton:function:work","End":true}}}},
          "Done":{"Type":"Pass","End":true}}}
        """

    /// Waits until the execution has finished after its redrive (its status leaves PENDING_REDRIVE and RUNNING).
    static func waitForRedriveEnd(_ h: EngineHarness, _ arn: String) async throws -> ExecutionDescription {
        var result: ExecutionDescription?
        try await waitUntil("execution \(arn) to finish after its redrive", timeout: .seconds(60), poll: .milliseconds(25)) {
            result = try await h.executions.describe(arn, on: h.connection)
            return result.map { $0.redriveCount == 1 && $0.status != "RUNNING" && $0.status != "PENDING_REDRIVE" } ?? false
        }
        return result!
    }

    /// Waits, on a connection of its own, until `count` Map items of the test's database have succeeded (how a
    /// failing item makes sure the others' successes are recorded before its failure ends the Map).
    static func waitForSucceededItems(_ count: Int, _ h: EngineHarness) async throws {
        let connection = try await PostgresConnection.connect(h.database, logger: TestDatabase.logger)
        defer { Task { await connection.close() } }
        try await waitUntil("\(count) Map items to succeed", timeout: .seconds(30), poll: .milliseconds(20)) {
            try await connection.query("SELECT count(*)::int FROM baton.fan_out_items WHERE status = 'succeeded'")
                .first?.decode(0, as: Int.self) == count
        }
    }

    @Test func aRedrivenMapRerunsOnlyTheItemsThatDidNotSucceed() async throws {
        let h = try await EngineHarness.make(suite: "EngineRedriveMap")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("each", Self.machine)
        let runs = Recorded<[Int: Int]>([:])
        let broken = Recorded(true)
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("work", concurrency: 8) { input, _ in
            let n = input.intValue ?? -1
            runs.update { $0[n, default: 0] += 1 }
            if n % 2 == 1, broken.current {
                // Fails only once the even items' successes are recorded: the first run ends with exactly the
                // even items succeeded, whatever the machine's load.
                try await Self.waitForSucceededItems(3, h)
                throw TaskFailure("Odd", cause: "item \(n) is odd")
            }
            return .int(n * 10)
        }
        let items = Array(0..<6)
        let execution = try await h.executions.start(
            stateMachine: "each", input: ["items": .array(items.map { .int($0) })], on: h.connection)
        let failed = try await h.waitForEnd(execution.arn)
        #expect(failed.status == "FAILED" && failed.error == "Odd")
        let succeededFirst = try await h.connection.query(
            "SELECT item_index FROM baton.fan_out_items WHERE execution_id = $1 AND status = 'succeeded'", [failed.id]
        ).map { try $0.decode(0, as: Int.self) }
        #expect(succeededFirst.sorted() == [0, 2, 4], "the odd items failed only after the even ones succeeded")
        let runsBefore = runs.current

        broken.update { $0 = false }
        _ = try await h.executions.redrive(execution.arn, on: h.connection)
        let redriven = try await Self.waitForRedriveEnd(h, execution.arn)
        #expect(redriven.status == "SUCCEEDED")
        #expect(redriven.output == "[0,10,20,30,40,50]")
        let after = runs.current
        for n in succeededFirst {
            #expect(after[n] == 1, "item \(n) succeeded the first time and must not run again: \(after)")
        }
        for n in items where !succeededFirst.contains(n) {
            #expect((after[n] ?? 0) == (runsBefore[n] ?? 0) + 1, "item \(n) reruns exactly once: \(after)")
        }
        let types = try await h.historyTypes(execution.arn)
        #expect(types.filter { $0 == "ExecutionRedriven" }.count == 1)
        #expect(types.filter { $0 == "PassStateEntered" }.count == 2, "Prepare ran once, Done once: \(types)")
        #expect(types.last == "ExecutionSucceeded")

        // Not redrivable once it succeeded.
        await #expect(throws: EngineError.self) { _ = try await h.executions.redrive(execution.arn, on: h.connection) }
        await stop(worker)
        await stop(coordinator)
    }

    /// A redriven Map keeps its MaxConcurrency: the items to rerun refill two at a time, lowest index first, as on
    /// a first run (the items' start and finish times in fan_out_items never overlap more than twice), and only
    /// the items that did not succeed run again.
    @Test func aRedrivenMapRefillsAtMostMaxConcurrencyItemsAtATime() async throws {
        let h = try await EngineHarness.make(suite: "EngineRedriveMaxConcurrency")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("pairs", """
            {"StartAt":"Each","States":{
              "Each":{"Type":"Map","MaxConcurrency":2,"ToleratedFailureCount":2,"End":true,
                      "ItemProcessor":{"StartAt":"Work","States":{
                        "Work":{"Type":"Task","Resource":"baton:function:pairs","End":true}}}}}}
            """)
        let runs = Recorded<[Int: Int]>([:])
        let broken = Recorded(true)
        let inFlight = Recorded((now: 0, most: 0))
        let coordinator = h.startCoordinator()
        let worker = h.startWorker("pairs", concurrency: 8) { input, _ in
            let n = input.intValue ?? -1
            runs.update { $0[n, default: 0] += 1 }
            if n % 2 == 1, broken.current { throw TaskFailure("Odd", cause: "item \(n) is odd") }
            inFlight.update { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { inFlight.update { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(50))  // long enough for the next items to be started beside it
            return .int(n * 10)
        }
        let items = Array(0..<10)
        let execution = try await h.executions.start(stateMachine: "pairs", input: .array(items.map { .int($0) }),
                                                     on: h.connection)
        let failed = try await h.waitForEnd(execution.arn)
        #expect(failed.status == "FAILED" && failed.error == "States.ExceedToleratedFailureThreshold")
        let firstRun = try await h.connection.query(
            "SELECT item_index, status FROM baton.fan_out_items WHERE execution_id = $1", [failed.id]
        ).map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: String.self)) }
        let succeededFirst = Set(firstRun.filter { $0.1 == "succeeded" }.map(\.0))
        #expect(firstRun.filter { $0.1 == "failed" }.count == 3, "three odd items failed: \(firstRun)")
        #expect(items.count - succeededFirst.count >= 5, "several items to rerun: \(firstRun)")
        let runsBefore = runs.current

        broken.update { $0 = false }
        inFlight.update { $0 = (0, 0) }
        _ = try await h.executions.redrive(execution.arn, on: h.connection)
        let redriven = try await Self.waitForRedriveEnd(h, execution.arn)
        #expect(redriven.status == "SUCCEEDED")
        #expect(redriven.output == "[" + items.map { String($0 * 10) }.joined(separator: ",") + "]")
        let after = runs.current
        for n in items {
            let expected = succeededFirst.contains(n) ? 1 : (runsBefore[n] ?? 0) + 1
            #expect(after[n] == expected, "item \(n): \(after)")
        }
        // The rerun items' [started_at, finished_at) intervals: at most two overlap at any item's start.
        let mostAtOnce = try await h.count(
            """
            WITH rerun AS (
                SELECT started_at, finished_at FROM baton.fan_out_items
                WHERE execution_id = $1 AND NOT (item_index = ANY($2::integer[])))
            SELECT max((SELECT count(*) FROM rerun j WHERE j.started_at <= i.started_at AND i.started_at < j.finished_at))
            FROM rerun i
            """, [failed.id, "{" + succeededFirst.map(String.init).joined(separator: ",") + "}"])
        #expect(mostAtOnce == 2, "rerun items open at once, from fan_out_items")
        #expect(inFlight.current.most <= 2, "rerun items open at once, seen by the worker: \(inFlight.current.most)")
        await stop(worker)
        await stop(coordinator)
    }

    /// RedriveExecution's clientToken: a repeat with the same token, while the redrive is pending and after it
    /// finished, answers with the same redriveDate and redrives nothing; another token is refused while it runs.
    @Test func aRepeatedRedriveWithTheSameClientTokenRedrivesOnce() async throws {
        let h = try await EngineHarness.make(suite: "EngineRedriveClientToken")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("flaky", """
            {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"baton:function:flaky","End":true}}}
            """)
        let runs = Recorded(0)
        let worker = h.startWorker("flaky") { _, _ in
            runs.update { $0 += 1 }
            if runs.current == 1 { throw TaskFailure("First", cause: "the first run fails") }
            return .int(runs.current)
        }
        var coordinator = h.startCoordinator()
        let execution = try await h.executions.start(stateMachine: "flaky", on: h.connection)
        #expect(try await h.waitForEnd(execution.arn).status == "FAILED")
        await stop(coordinator)  // nothing applies the redrive until the repeats are made

        let date = try await h.executions.redrive(execution.arn, clientToken: "token-1", on: h.connection)
        let repeated = try await h.executions.redrive(execution.arn, clientToken: "token-1", on: h.connection)
        #expect(repeated == date)
        #expect(try await h.count("SELECT count(*) FROM baton.inbox WHERE kind = 'redrive_requested'") == 1)
        await #expect(throws: EngineError.self, "another token is a new request, refused while PENDING_REDRIVE") {
            _ = try await h.executions.redrive(execution.arn, clientToken: "token-2", on: h.connection)
        }
        await #expect(throws: EngineError.self, "no token: a new request") {
            _ = try await h.executions.redrive(execution.arn, on: h.connection)
        }

        coordinator = h.startCoordinator()
        let redriven = try await Self.waitForRedriveEnd(h, execution.arn)
        #expect(redriven.status == "SUCCEEDED" && redriven.output == "2")
        let afterwards = try await h.executions.redrive(execution.arn, clientToken: "token-1", on: h.connection)
        #expect(afterwards == date, "the token still answers once the redrive is done")
        let described = try #require(try await h.executions.describe(execution.arn, on: h.connection))
        #expect(described.redriveCount == 1 && described.status == "SUCCEEDED")
        #expect(try await h.historyTypes(execution.arn).filter { $0 == "ExecutionRedriven" }.count == 1)
        #expect(runs.current == 2)
        await stop(worker)
        await stop(coordinator)
    }

    /// A DISTRIBUTED Map's items are child executions: a redrive redrives the failed child itself, which resumes
    /// at the state it failed in (its earlier states do not run again), as AWS redrives a map run's children;
    /// the children that succeeded keep their results.
    @Test func aRedrivenDistributedMapRedrivesOnlyItsFailedChildren() async throws {
        let h = try await EngineHarness.make(suite: "EngineRedriveDistributedMap")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("spread", """
            {"StartAt":"Each","States":{
              "Each":{"Type":"Map","End":true,
                      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                        "StartAt":"Prepare","States":{
                          "Prepare":{"Type":"Task","Resource":"baton:function:prepare","Next":"Work"},
                          "Work":{"Type":"Task","Resource":"baton:function:spread","End":true}}}}}}
            """)
        let prepared = Recorded<[Int: Int]>([:])
        let runs = Recorded<[Int: Int]>([:])
        let broken = Recorded(true)
        let coordinator = h.startCoordinator()
        let preparer = h.startWorker("prepare", concurrency: 8) { input, _ in
            prepared.update { $0[input.intValue ?? -1, default: 0] += 1 }
            return input
        }
        let worker = h.startWorker("spread", concurrency: 8) { input, _ in
            let n = input.intValue ?? -1
            runs.update { $0[n, default: 0] += 1 }
            if n == 3, broken.current {
                try await Self.waitForSucceededItems(3, h)  // the other three succeed first, whatever the load
                throw TaskFailure("Three", cause: "item 3 fails")
            }
            return .int(n + 100)
        }
        let execution = try await h.executions.start(stateMachine: "spread", input: [1, 2, 3, 4], on: h.connection)
        let failed = try await h.waitForEnd(execution.arn)
        #expect(failed.status == "FAILED")
        let childrenBefore = try await h.connection.query(
            "SELECT arn FROM baton.executions WHERE parent_execution_id = $1 ORDER BY id", [failed.id]
        ).map { try $0.decode(0, as: String.self) }
        #expect(childrenBefore.count == 4)
        broken.update { $0 = false }
        _ = try await h.executions.redrive(execution.arn, on: h.connection)
        let redriven = try await Self.waitForRedriveEnd(h, execution.arn)
        #expect(redriven.status == "SUCCEEDED")
        #expect(redriven.output == "[101,102,103,104]")
        #expect(runs.current == [1: 1, 2: 1, 3: 2, 4: 1], "only item 3's failed state runs again: \(runs.current)")
        #expect(prepared.current == [1: 1, 2: 1, 3: 1, 4: 1], "no child starts again from the beginning: \(prepared.current)")
        // No new child: item 3's own child was redriven (ExecutionRedriven in its history, redriveCount 1).
        let children = try await h.connection.query(
            """
            SELECT e.arn, e.status, e.redrive_count FROM baton.executions e JOIN baton.fan_out_items i ON i.id = e.parent_fan_out_item_id
            WHERE e.parent_execution_id = $1 ORDER BY e.id
            """, [failed.id])
        #expect(try children.map { try $0.decode(0, as: String.self) } == childrenBefore)
        #expect(try children.allSatisfy { try $0.decode(1, as: String.self) == "SUCCEEDED" })
        let redrivenChildren = try children.filter { try $0.decode(2, as: Int.self) == 1 }.map { try $0.decode(0, as: String.self) }
        #expect(redrivenChildren.count == 1)
        if let child = redrivenChildren.first {
            #expect(try await h.historyTypes(child).contains("ExecutionRedriven"))
        }
        // The map run counts the redrive (DescribeMapRun's redriveCount and redriveDate).
        let mapRun = try await h.connection.query(
            "SELECT redrive_count, redriven_at IS NOT NULL FROM baton.fan_outs WHERE execution_id = $1", [failed.id])
        #expect(try mapRun.map { [try $0.decode(0, as: Int.self), try $0.decode(1, as: Bool.self) ? 1 : 0] } == [[1, 1]])
        await stop(worker)
        await stop(preparer)
        await stop(coordinator)
    }

    @Test func aFailedTaskIsRetriedFromItsStateWithTheRedriveCountInTheContext() async throws {
        let h = try await EngineHarness.make(suite: "EngineRedriveTask")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("once", """
            {"StartAt":"First","States":{
              "First":{"Type":"Task","Resource":"baton:function:count","Next":"Second"},
              "Second":{"Type":"Task","Resource":"baton:function:check",
                        "Parameters":{"redrives.$":"$$.Execution.RedriveCount"},"End":true}}}
            """)
        let counted = Recorded(0)
        let coordinator = h.startCoordinator()
        let first = h.startWorker("count") { _, _ in
            counted.update { $0 += 1 }
            return .null
        }
        let second = h.startWorker("check") { input, _ in
            guard input["redrives"]?.intValue == 1 else { throw TaskFailure("NotYet", cause: "\(input)") }
            return ["redrives": input["redrives"] ?? .null]
        }
        let execution = try await h.executions.start(stateMachine: "once", on: h.connection)
        let failed = try await h.waitForEnd(execution.arn)
        #expect(failed.status == "FAILED" && failed.error == "NotYet")
        // Through the CLI verb this time.
        let command = try await runBaton(["redrive-execution", "--database", try h.url, execution.arn])
        #expect(command.status == 0, "\(command.stderr)")
        #expect(try JSON(parsing: command.stdout)["redriveDate"]?.stringValue != nil)
        let redriven = try await Self.waitForRedriveEnd(h, execution.arn)
        #expect(redriven.status == "SUCCEEDED" && redriven.output == #"{"redrives":1}"#)
        #expect(counted.current == 1, "the state that succeeded does not run again")
        #expect(redriven.redriveDate != nil)
        let again = try await runBaton(["redrive-execution", "--database", try h.url, execution.arn])
        #expect(again.status == 1 && again.stderr.contains("ExecutionNotRedrivable"), "\(again.stderr)")
        await stop(first)
        await stop(second)
        await stop(coordinator)
    }
}
