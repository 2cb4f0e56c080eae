// DISTRIBUTED Map items run as child executions (as on AWS): each item has its own execution row and history,
// linked to its fan_out_items row; the Map's result, failure and tolerance are the local runner's.
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite(.serialized) struct DistributedMapTests {
    static let cases: [(name: String, definition: String, input: String)] = [
        ("dmap-ok", """
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value"},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.v, $.v)"},"End":true}}},
              "End":true}}}
            """, "[1,2,3,4,5]"),
        ("dmap-failure-caught", """
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
                "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"Bad"}],"Default":"Ok"},
                "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"ItemFailed","Cause":"one"}}},
              "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}],"End":true},
              "Caught":{"Type":"Pass","End":true}}}
            """, "[0,1,2]"),
        ("dmap-tolerated", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
                "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"Bad"}],"Default":"Ok"},
                "Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"E","Cause":"one"}}},"End":true}}}
            """, "[0,1,2]"),
    ]

    @Test func itemsAreChildExecutionsAndResultsMatchTheLocalRunner() async throws {
        let h = try await EngineHarness.make(suite: "EngineDistributedMap")
        defer { Task { await h.connection.close() } }
        let coordinator = h.startCoordinator()
        for (name, definition, input) in Self.cases {
            try await h.createMachine(name, definition)
            let parent = try await h.executions.start(stateMachine: name, input: try JSON(parsing: input), name: "x", on: h.connection)
            try await h.expectLocalRunnerParity(name, definition: definition, input: input, arn: parent.arn)

            // Every started item is a child execution of its own, linked to its item row, with a history.
            let children = try await h.connection.query(
                """
                SELECT e.arn, e.status, i.status FROM baton.executions e JOIN baton.fan_out_items i ON i.id = e.parent_fan_out_item_id
                WHERE e.parent_execution_id = $1 ORDER BY i.item_index
                """, [parent.id])
            let started = try await h.count(
                "SELECT count(*) FROM baton.fan_out_items WHERE execution_id = $1 AND started_at IS NOT NULL", [parent.id])
            #expect(children.count == started && started > 0, "\(name)")
            for row in children {
                let arn = try row.decode(0, as: String.self)
                #expect(arn.contains(":execution:\(name)/M:"), "\(arn)")
                let types = try await h.historyTypes(arn)
                #expect(types.first == "ExecutionStarted" && types.last?.hasPrefix("Execution") == true, "\(name): \(types)")
            }
        }
        // AWS's shape for the successful one: the items' children ran the processor on the selected input.
        let ok = try #require(try await h.executions.describe(
            h.engine.executionArn(stateMachineName: "dmap-ok", executionName: "x"), on: h.connection))
        #expect(ok.output == #"[{"doubled":2},{"doubled":4},{"doubled":6},{"doubled":8},{"doubled":10}]"#)
        // list-executions shows the parent only, as AWS lists map-run children only per map run.
        #expect(try await h.executions.list(stateMachine: "dmap-ok", on: h.connection).map(\.arn) == [ok.arn])
        // The map run is named as on AWS (`mapRun:MACHINE/LABEL:ID`), once per entry into the Map, and its fan-out
        // row keeps the ARN its MapRunStarted event carries.
        let runs = try await h.connection.query(
            """
            SELECT f.map_run_arn, h.details->>'mapRunArn' FROM baton.fan_outs f
            JOIN baton.history_events h ON h.execution_id = f.execution_id AND h.type = 'MapRunStarted'
            WHERE f.execution_id = $1
            """, [ok.id])
        #expect(runs.count == 1)
        let runArn = try #require(try runs.first?.decode(0, as: String?.self))
        #expect(try runs.first?.decode(1, as: String?.self) == runArn)
        #expect(runArn.hasPrefix("arn:aws:states:us-east-1:123456789012:mapRun:dmap-ok/M:"), "\(runArn)")
        #expect(UUID(uuidString: String(runArn.split(separator: ":").last ?? "")) != nil, "\(runArn)")
        #expect(try await h.count("SELECT count(*) FROM baton.inbox") == 0)
        await stop(coordinator)
    }

    /// UpdateMapRun (MapRunStore.update) applies at once: a higher MaxConcurrency starts the waiting items
    /// without any item finishing first, and a tolerance lowered below the failures so far fails the map run.
    @Test func updatingAMapRunAppliesAtOnce() async throws {
        let h = try await EngineHarness.make(suite: "EngineDistributedMapUpdate")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("dmap-update", """
            {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ToleratedFailureCount":3,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
                "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"Bad"}],"Default":"W"},
                "W":{"Type":"Wait","Seconds":600,"End":true},"Bad":{"Type":"Fail","Error":"Zero"}}},"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        func running(_ parent: Int64) async throws -> Int {
            try await h.count(
                "SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1 AND status = 'RUNNING' AND last_event_id > 0",
                [parent])
        }
        func mapRun(_ parent: Int64) async throws -> String {
            try await h.connection.query("SELECT map_run_arn FROM baton.fan_outs WHERE execution_id = $1", [parent])[0].decode(0)
        }
        // MaxConcurrency 1 → 0: the three items still pending start beside the one that waits.
        let wide = try await h.executions.start(stateMachine: "dmap-update", input: [1, 2, 3, 4], on: h.connection)
        try await waitUntil("one running child", timeout: .seconds(30), poll: .milliseconds(25)) { try await running(wide.id) == 1 }
        #expect(try await MapRunStore().update(try await mapRun(wide.id), maxConcurrency: 0, toleratedFailureCount: nil,
                                               toleratedFailurePercentage: nil, on: h.connection))
        try await waitUntil("four running children", timeout: .seconds(30), poll: .milliseconds(25)) { try await running(wide.id) == 4 }
        try await h.executions.stop(wide.arn, on: h.connection)

        // Item 0 failed within the tolerance of 3; lowering it to 0 fails the map run.
        let strict = try await h.executions.start(stateMachine: "dmap-update", input: [0, 1], on: h.connection)
        try await waitUntil("the failed item and a running one", timeout: .seconds(30), poll: .milliseconds(25)) {
            let failedItems = try await h.count("SELECT coalesce(max(items_failed), 0) FROM baton.fan_outs WHERE execution_id = $1", [strict.id])
            let runningItems = try await running(strict.id)
            return failedItems == 1 && runningItems == 1
        }
        #expect(try await MapRunStore().update(try await mapRun(strict.id), maxConcurrency: nil, toleratedFailureCount: 0,
                                               toleratedFailurePercentage: nil, on: h.connection))
        let failed = try await h.waitForEnd(strict.arn)
        #expect(failed.status == "FAILED")
        #expect(failed.error == "States.ExceedToleratedFailureThreshold")
        #expect(try await MapRunStore().update("arn:aws:states:us-east-1:123456789012:mapRun:dmap-update/M:none",
                                               maxConcurrency: 2, toleratedFailureCount: nil, toleratedFailurePercentage: nil,
                                               on: h.connection) == false)
        await stop(coordinator)
    }

    /// Stopping the parent stops the items' running children.
    @Test func stoppingTheParentStopsItemChildren() async throws {
        let h = try await EngineHarness.make(suite: "EngineDistributedMapStop")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("dmap-wait", """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
              "StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}},"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "dmap-wait", input: [1, 2, 3], on: h.connection)
        try await waitUntil("three running children", timeout: .seconds(30), poll: .milliseconds(25)) {
            try await h.count(
                "SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1 AND status = 'RUNNING' AND last_event_id > 0",
                [parent.id]) == 3
        }
        try await h.executions.stop(parent.arn, on: h.connection)
        #expect(try await h.waitForEnd(parent.arn).status == "ABORTED")
        try await waitUntil("the children to stop", timeout: .seconds(30), poll: .milliseconds(25)) {
            try await h.count("SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1 AND status = 'ABORTED'",
                              [parent.id]) == 3
        }
        await stop(coordinator)
    }

    /// The machine's TimeoutSeconds bounds the parent only: the items' child executions, whose runs start at
    /// the ItemProcessor, get no execution timeout of their own (as on AWS).
    @Test func itemChildrenHaveNoExecutionTimeout() async throws {
        let h = try await EngineHarness.make(suite: "EngineDistributedMapTimeout")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("dmap-timeout", """
            {"TimeoutSeconds":600,"StartAt":"M","States":{"M":{"Type":"Map",
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}
            """)
        // (The Wait keeps each child running past its first transaction, which is when its timers are written.)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "dmap-timeout", input: [1, 2], on: h.connection)
        #expect(try await h.waitForEnd(parent.arn).status == "SUCCEEDED")
        #expect(try await h.count(
            "SELECT count(*) FROM baton.timers WHERE execution_id = $1 AND kind = 'execution_timeout'", [parent.id]) == 1)
        #expect(try await h.count(
            """
            SELECT count(*) FROM baton.timers t JOIN baton.executions e ON e.id = t.execution_id
            WHERE e.parent_execution_id = $1 AND t.kind = 'execution_timeout'
            """, [parent.id]) == 0)
        #expect(try await h.count("SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1", [parent.id]) == 2)
        await stop(coordinator)
    }
}
