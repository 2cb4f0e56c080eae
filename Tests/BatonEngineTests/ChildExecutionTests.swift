// Child executions (arn:aws:states:::states:startExecution, .sync, .sync:2) through a real coordinator and
// Postgres: AWS's output shapes, a failing child caught by the parent with AWS's error, a timeout while
// waiting, and stopping a parent stopping its children recursively.
import BatonEngine
import BatonJSON
import BatonQueue
import BatonTestSupport
import Foundation
import Testing

@Suite(.serialized) struct ChildExecutionTests {
    static let child = """
        {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$.value",
          "startedBy.$":"$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"},"End":true}}}
        """

    /// A child that waits ten minutes (stopped long before).
    static let sleeper = #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}"#

    /// Request-response, .sync and .sync:2 in one parent: each result has AWS's shape, the children are linked
    /// to the parent in the tables, and only the waited-for children are marked as such.
    @Test func requestResponseSyncAndSync2() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildShapes")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Child", Self.child)
        let childArn = h.engine.stateMachineArn(name: "Child")
        try await h.createMachine("Parent", """
            {"StartAt":"Fire","States":{
              "Fire":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                "Parameters":{"StateMachineArn":"\(childArn)","Input":{"value":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}},
                "ResultPath":"$.fire","Next":"Sync"},
              "Sync":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                "Parameters":{"StateMachineArn":"Child","Input":{"value":2,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}},
                "ResultPath":"$.sync","Next":"Sync2"},
              "Sync2":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{"StateMachineArn":"\(childArn)","Name":"the-sync2-child",
                  "Input":"{\\"value\\":3,\\"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID\\":\\"x\\"}"},
                "ResultPath":"$.sync2","End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "Parent", on: h.connection)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "SUCCEEDED", "\(ended)")
        let output = try JSON(parsing: try #require(ended.output))

        let fire = try #require(output["fire"]?.objectValue)
        #expect(fire.keys.sorted() == ["ExecutionArn", "StartDate"])
        #expect(fire["StartDate"]?.intValue != nil)  // epoch milliseconds, as AWS's integrations give dates
        let firedArn = try #require(fire["ExecutionArn"]?.stringValue)
        #expect(try await h.waitForEnd(firedArn).output == #"{"got":1,"startedBy":"\#(parent.arn)"}"#)

        let sync = try #require(output["sync"])
        #expect(sync["Status"] == "SUCCEEDED")
        #expect(sync["Output"] == .string(#"{"got":2,"startedBy":"\#(parent.arn)"}"#))  // .sync: JSON text
        #expect(sync["Input"]?.stringValue != nil && sync["StopDate"]?.intValue != nil)
        #expect(sync["StateMachineArn"] == .string(childArn))

        let sync2 = try #require(output["sync2"])
        #expect(sync2["Name"] == "the-sync2-child")
        #expect(sync2["Output"] == ["got": 3, "startedBy": "x"])  // .sync:2: JSON values
        #expect(sync2["Input"]?["value"] == 3)
        #expect(sync2["ExecutionArn"] == .string(h.engine.executionArn(stateMachineName: "Child", executionName: "the-sync2-child")))

        // Linked in the tables: three children of this parent, two of them waited for.
        #expect(try await h.count("SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1", [parent.id]) == 3)
        #expect(try await h.count(
            "SELECT count(*) FROM baton.executions WHERE parent_execution_id = $1 AND parent_waits AND parent_task_attempt = 1",
            [parent.id]) == 2)
        let types = try await h.historyTypes(parent.arn)
        #expect(types.filter { $0 == "TaskStarted" }.count == 3 && types.filter { $0 == "TaskSucceeded" }.count == 3)
        #expect(types.filter { $0 == "TaskSubmitted" }.count == 2)  // the .sync ones, after TaskStarted
        #expect(types.firstIndex(of: "TaskSubmitted").map { types[$0 - 1] } == "TaskStarted")
        await stop(coordinator)
    }

    /// A child that fails: the parent's Task fails with States.TaskFailed and the child's description as the
    /// cause (AWS's shape), which a Catch handles. A missing state machine is StepFunctions.…Exception.
    @Test func aFailingChildIsCaughtWithAWSsError() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildFails")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Broken", #"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"ChildBroke","Cause":"bad input"}}}"#)
        try await h.createMachine("Parent", """
            {"StartAt":"Run","States":{
              "Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{"StateMachineArn":"Broken","Input":{}},
                "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.caught","Next":"Missing"}],"End":true},
              "Missing":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                "Parameters":{"StateMachineArn":"NoSuchMachine"},
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.missing","Next":"Done"}],"End":true},
              "Done":{"Type":"Succeed"}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "Parent", on: h.connection)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "SUCCEEDED", "\(ended)")
        let output = try JSON(parsing: try #require(ended.output))
        #expect(output["caught"]?["Error"] == "States.TaskFailed")
        let causeText = try #require(output["caught"]?["Cause"]?.stringValue)
        let cause = try JSON(parsing: causeText)
        #expect(cause["Status"] == "FAILED" && cause["Error"] == "ChildBroke" && cause["Cause"] == "bad input")
        #expect(cause["ExecutionArn"]?.stringValue?.contains(":execution:Broken:") == true)
        #expect(output["missing"]?["Error"] == "StepFunctions.StateMachineDoesNotExistException")
        await stop(coordinator)
    }

    /// Stopping a parent stops the child it waits for, which stops its own child: each history ends with
    /// ExecutionAborted, and the children's say who stopped them.
    @Test func stoppingAParentStopsItsChildrenRecursively() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildStop")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Sleeper", Self.sleeper)
        try await h.createMachine("Middle", """
            {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"Sleeper"},"End":true}}}
            """)
        try await h.createMachine("Top", """
            {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
              "Parameters":{"StateMachineArn":"Middle"},"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let top = try await h.executions.start(stateMachine: "Top", on: h.connection)
        try await waitUntil("the grandchild to run", timeout: .seconds(30), poll: .milliseconds(25)) {
            try await h.count("""
                SELECT count(*) FROM baton.executions g JOIN baton.executions m ON m.id = g.parent_execution_id
                WHERE m.parent_execution_id = $1 AND g.status = 'RUNNING' AND g.last_event_id > 0
                """, [top.id]) == 1
        }
        try await h.executions.stop(top.arn, error: "Operator", cause: "enough", on: h.connection)
        #expect(try await h.waitForEnd(top.arn).status == "ABORTED")
        let rows = try await h.connection.query(
            """
            SELECT e.arn FROM baton.executions e
            WHERE e.parent_execution_id = $1 OR e.parent_execution_id IN (SELECT id FROM baton.executions WHERE parent_execution_id = $1)
            ORDER BY e.id
            """, [top.id])
        let descendants = try rows.map { try $0.decode(0, as: String.self) }
        #expect(descendants.count == 2)
        for arn in descendants {
            #expect(try await h.waitForEnd(arn).status == "ABORTED")
            let id = try #require(try await h.executions.describe(arn, on: h.connection)).id
            let details = try await h.connection.query(
                "SELECT details->>'cause' FROM baton.history_events WHERE execution_id = $1 AND type = 'ExecutionAborted'", [id])
            let cause = try details.first?.decode(0, as: String?.self) ?? nil
            #expect(cause?.contains("Stopped by the parent execution") == true, "\(arn): \(String(describing: cause))")
        }
        await stop(coordinator)
    }

    /// TimeoutSeconds on a .sync Task: the wait times out with States.Timeout and the child is stopped.
    @Test func waitingForAChildTimesOut() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildTimeout")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Sleeper", Self.sleeper)
        try await h.createMachine("Impatient", """
            {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"Sleeper"},"TimeoutSeconds":1,"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "Impatient", on: h.connection)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "FAILED" && ended.error == "States.Timeout")
        #expect(try await h.historyTypes(parent.arn).contains("TaskTimedOut"))
        let child = try await h.connection.query("SELECT arn FROM baton.executions WHERE parent_execution_id = $1", [parent.id])
        #expect(try await h.waitForEnd(try child[0].decode(0, as: String.self)).status == "ABORTED")
        await stop(coordinator)
    }

    /// The timeout of a wait that ended in time does not fire into the next state that waits for a child.
    /// (A's 4 s leave a loaded machine time to run the quick child; B's child waits past them.)
    @Test func aFinishedWaitsTimeoutLeavesTheNextWaitAlone() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildTimeoutScope")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Quick", #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        try await h.createMachine("Slower", #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}"#)
        try await h.createMachine("TwoWaits", """
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"Quick"},
                   "TimeoutSeconds":4,"Next":"B"},
              "B":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"Slower"},
                   "TimeoutSeconds":30,"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "TwoWaits", on: h.connection)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "SUCCEEDED", "\(ended)")
        #expect(try await h.count("SELECT count(*) FROM baton.timers WHERE execution_id = $1 AND status = 'fired'", [parent.id]) == 0)
        await stop(coordinator)
    }

    /// .waitForTaskToken: the child starts, and the parent waits for the token (here sent as SendTaskSuccess
    /// would send it), not for the child; the history has TaskSubmitted with the start response.
    @Test func waitForTaskTokenWaitsForTheToken() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildToken")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Worker", #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        try await h.createMachine("Asker", """
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.waitForTaskToken",
              "Parameters":{"StateMachineArn":"Worker","Input":{"token.$":"$$.Task.Token"}},"End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "Asker", on: h.connection)
        var childArn = ""
        try await waitUntil("the child to finish", timeout: .seconds(30), poll: .milliseconds(25)) {
            let rows = try await h.connection.query(
                "SELECT arn FROM baton.executions WHERE parent_execution_id = $1 AND status = 'SUCCEEDED'", [parent.id])
            childArn = try rows.first?.decode(0, as: String.self) ?? ""
            return !childArn.isEmpty
        }
        // The child is done, the parent still waits: for the token.
        #expect(try await h.executions.describe(parent.arn, on: h.connection)?.status == "RUNNING")
        let childOutput = try #require(try await h.executions.describe(childArn, on: h.connection)?.output)
        let token = try #require(try JSON(parsing: childOutput)["token"]?.stringValue)
        let sent = try await CallbackStore().complete(token: token, outcome: .succeeded(output: #"{"answer":42}"#), on: h.connection)
        #expect(sent == .recorded)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "SUCCEEDED" && ended.output == #"{"answer":42}"#, "\(ended)")
        let types = try await h.historyTypes(parent.arn)
        #expect(Array(types.drop { $0 != "TaskScheduled" }.prefix(4)) == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"])
        await stop(coordinator)
    }

    /// An operator stops the child a parent waits for: the parent's Task fails with States.TaskFailed and the
    /// child's description (Status ABORTED) as the cause, and its Catch takes over.
    @Test func aStoppedChildFailsTheWaitingTask() async throws {
        let h = try await EngineHarness.make(suite: "EngineChildAborted")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("Sleeper", Self.sleeper)
        try await h.createMachine("Waiter", """
            {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
              "Parameters":{"StateMachineArn":"Sleeper","Name":"the-sleeper"},
              "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true},
              "Caught":{"Type":"Pass","End":true}}}
            """)
        let coordinator = h.startCoordinator()
        let parent = try await h.executions.start(stateMachine: "Waiter", on: h.connection)
        let childArn = h.engine.executionArn(stateMachineName: "Sleeper", executionName: "the-sleeper")
        try await waitUntil("the child to run", timeout: .seconds(30), poll: .milliseconds(25)) {
            try await h.executions.describe(childArn, on: h.connection).map { $0.status == "RUNNING" } ?? false
        }
        try await h.executions.stop(childArn, error: "Operator", cause: "not needed", on: h.connection)
        let ended = try await h.waitForEnd(parent.arn)
        #expect(ended.status == "SUCCEEDED", "\(ended)")
        let output = try JSON(parsing: try #require(ended.output))
        #expect(output["Error"] == "States.TaskFailed")
        let causeText = try #require(output["Cause"]?.stringValue)
        let cause = try JSON(parsing: causeText)
        #expect(cause["Status"] == "ABORTED" && cause["Error"] == "Operator" && cause["Cause"] == "not needed")
        #expect(cause["Name"] == "the-sleeper" && cause["StopDate"]?.intValue != nil && cause["Output"] == nil)
        await stop(coordinator)
    }
}
