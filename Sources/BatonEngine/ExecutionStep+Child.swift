// The parent's side of child executions (arn:aws:states:::states:startExecution[.sync|.sync:2]).
//
// No task row and no worker: the coordinator starts the child itself, in the parent's transaction
// (ExecutionStore.start inside a savepoint, so a refused start — no such state machine, a name taken with
// another input — becomes the Task's failure, `StepFunctions.<Code>Exception` as AWS names them, and Retry/
// Catch apply). Request-response succeeds at once with {ExecutionArn, StartDate}. `.sync` and `.sync:2` wait:
// the child's final transaction sends `child_finished` (ChildExecutions.wakeParent) and `childFinished`
// resumes the Task state with DescribeExecution's shape, or fails it with States.TaskFailed and that shape
// as the cause. TimeoutSeconds is a `task_timeout` timer that stops the child and fails with States.Timeout.
// `.waitForTaskToken` starts the child and waits for the token as any callback task does.
import ASLCore
import ASLDocument
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

extension ExecutionStep {
    func startChildExecution(_ request: TaskRequest, for key: RunKey) async throws {
        var pattern = TaskResource.Pattern.requestResponse
        if case .startExecution(let p)? = TaskResource(parsing: request.resource) { pattern = p }
        guard case .string(let machine)? = request.input["StateMachineArn"], !machine.isEmpty else {
            failTask(request, key, error: "States.Runtime", cause:
                "The field 'StateMachineArn' (a state machine ARN or name) is required by the resource \(request.resource)")
            return
        }
        var input = JSON.object([:])
        switch request.input["Input"] {
        case nil, .null?: break
        case .string(let text)?:
            guard let parsed = try? JSON(parsing: text) else {
                failTask(request, key, error: "StepFunctions.InvalidExecutionInputException", cause:
                    "The field 'Input' of state '\(request.stateName)' is a string that does not hold JSON")
                return
            }
            input = parsed
        case let value?: input = value
        }
        var name: String?
        switch request.input["Name"] {
        case nil, .null?: break
        case .string(let text)?: name = text
        case let other?:
            failTask(request, key, error: "StepFunctions.InvalidNameException", cause:
                "The field 'Name' of state '\(request.stateName)' must be a string, not \(other.serialized())")
            return
        }
        // The parent waits for the child itself with .sync and .sync:2; with .waitForTaskToken it waits for the
        // token (which the child, or anyone, sends back), and the child runs on its own as AWS has it.
        let link = ParentLink(executionId: executionId, fanOutItemId: key.itemId, stateName: request.stateName,
                              attempt: request.attempt + 1, waits: pattern == .sync || pattern == .sync2)
        let store = ExecutionStore(configuration: configuration)
        var child: ExecutionDescription
        let created: Bool
        do {
            (child, created) = try await store.start(stateMachine: machine, input: input, name: name, versionId: nil,
                                                     parent: link, on: connection)
        } catch let error as EngineError where !connection.isBroken {
            let errorName = error.code == .database ? "States.TaskFailed" : "StepFunctions.\(error.code.rawValue)Exception"
            failTask(request, key, error: errorName, cause: error.message)
            return
        }
        if pattern == .waitForTaskToken {
            try await waitForToken(request, key, started: child)
            return
        }
        guard link.waits else {
            enqueue(.event(key, .taskStarted(taskId: request.id)))
            enqueue(.event(key, .taskSucceeded(taskId: request.id, output: ChildExecutions.startOutput(child))))
            return
        }
        let adopted = created || child.status != "RUNNING" ? true : try await adopt(child.id, link)
        if !adopted {
            // It finished meanwhile (read it again), or it is another execution's child.
            guard let again = try await store.describe(id: child.id, on: connection), again.status != "RUNNING" else {
                failTask(request, key, error: "States.TaskFailed", cause:
                    "Baton cannot wait for \(child.arn): it is running for another parent execution")
                return
            }
            child = again
        }
        enqueue(.event(key, .taskStarted(taskId: request.id)))
        // AWS records the StartExecution response of a .sync Task as TaskSubmitted.
        enqueue(.appendEvent(key, type: "TaskSubmitted", details: submittedDetails(request, ChildExecutions.startOutput(child))))
        if child.status != "RUNNING" {  // an existing execution of that name that already ended
            deliverChildResult(child, to: request, key)
            return
        }
        if let seconds = request.timeoutSeconds {
            newTimers.append(NewTimer(
                item: key.itemId, stateName: request.stateName, kind: "task_timeout",
                due: Date().addingTimeInterval(Double(seconds)),
                payload: ["childExecutionId": .number(.int(child.id)), "stateName": .string(request.stateName),
                          "attempt": .int(link.attempt)]))
        }
    }

    /// `.waitForTaskToken`: the child started; the state now waits for its token like any callback task
    /// (ExecutionStep+Callbacks). The StartExecution call is recorded as a task row that already succeeded
    /// (its output the start response), which the callback row refers to; it never enters the queue.
    private func waitForToken(_ request: TaskRequest, _ key: RunKey, started child: ExecutionDescription) async throws {
        let response = ChildExecutions.startOutput(child)
        let rows = try await connection.query(
            """
            INSERT INTO baton.tasks (execution_id, fan_out_item_id, state_name, function_name, resource, attempt,
                idempotency_key, input, output, status, started_at, finished_at)
            VALUES ($1, $2, $3, 'states:startExecution', $4, $5, $6, $7, $8, 'succeeded', now(), now())
            RETURNING id
            """, [executionId, key.itemId, request.stateName, request.resource, request.attempt + 1,
                 NewTask.idempotencyKey(executionID: executionId, stateName: request.stateName, fanOutItemID: key.itemId,
                                        attempt: request.attempt + 1),
                 request.input.serialized(), response.serialized()],
            statementName: "baton_engine_record_start_execution")
        try await insertCallbacks([Self.callbackRecord(request, taskId: try rows[0].decode(0, as: Int64.self), item: key.itemId)])
        enqueue(.event(key, .taskStarted(taskId: request.id)))
        enqueue(.appendEvent(key, type: "TaskSubmitted", details: submittedDetails(request, response)))
    }

    private func submittedDetails(_ request: TaskRequest, _ response: JSON) -> JSON {
        ["resourceType": "states", "resource": .string(String(request.resource.dropFirst("arn:aws:states:::states:".count))),
         "output": response]
    }

    /// A `child_finished` inbox row: resumes the Task state that waits for child `childId`, if it still does
    /// (or ends the DISTRIBUTED Map item the child ran).
    func childFinished(_ childId: Int64, key: RunKey) async throws {
        guard let link = try await ChildExecutions.link(of: childId, on: connection),
              let child = try await ExecutionStore(configuration: configuration).describe(id: childId, on: connection)
        else { return }
        if link.attempt == nil, case .item(let item) = key {
            try await mapRunChildFinished(child, item: item)
            return
        }
        // The wait is over: its TimeoutSeconds timer, if any, has nothing left to do.
        try await connection.execute(
            """
            UPDATE baton.timers SET status = 'cancelled'
            WHERE execution_id = $1 AND kind = 'task_timeout' AND task_id IS NULL AND \(KeyedStatus.is("pending"))
              AND (payload::jsonb ->> 'childExecutionId')::bigint = $2
            """, [executionId, childId], statementName: "baton_engine_cancel_child_timer")
        guard let attempt = link.attempt, let pending = try await waitingTask(key, state: link.state, attempt: attempt) else {
            logger.debug("ignored a finished child nobody waits for", metadata: ["child.id": .stringConvertible(childId)])
            return
        }
        deliverChildResult(child, to: pending, key)
    }

    /// A `task_timeout` timer of a child wait: TimeoutSeconds passed while the Task state waited for the child.
    func childWaitTimedOut(_ childId: Int64, attempt: Int, key: RunKey, state: String) async throws {
        guard let pending = try await waitingTask(key, state: state, attempt: attempt) else { return }
        try await ChildExecutions.stopWaitedChildren(of: executionId, child: childId, on: connection)
        enqueue(.event(key, .taskFailed(taskId: pending.id, failure: RunFailure(error: "States.Timeout", cause: nil))))
    }

    /// The run's task in flight when it is the startExecution task of `state` and (1-based) `attempt`.
    private func waitingTask(_ key: RunKey, state: String, attempt: Int) async throws -> TaskRequest? {
        guard let run = try await loadRun(key), let pending = run.pendingTask, pending.invocation == .startExecution,
              pending.stateName == state, pending.attempt + 1 == attempt else { return nil }
        return pending
    }

    private func deliverChildResult(_ child: ExecutionDescription, to request: TaskRequest, _ key: RunKey) {
        var parsed = false
        if case .startExecution(.sync2)? = TaskResource(parsing: request.resource) { parsed = true }
        switch ChildExecutions.result(of: child, parsed: parsed) {
        case .success(let output): enqueue(.event(key, .taskSucceeded(taskId: request.id, output: output)))
        case .failure(let failure): enqueue(.event(key, .taskFailed(taskId: request.id, failure: failure)))
        }
    }

    /// Makes a running execution found by name (a retry with a fixed `Name`) wake this parent's current
    /// attempt. False when it has another parent or no longer runs.
    private func adopt(_ childId: Int64, _ link: ParentLink) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE baton.executions
            SET parent_execution_id = $2, parent_fan_out_item_id = $3, parent_state_name = $4, parent_task_attempt = $5,
                parent_waits = true
            WHERE id = $1 AND \(KeyedStatus.is("RUNNING")) AND (parent_execution_id IS NULL OR parent_execution_id = $2)
            """, [childId, link.executionId, link.fanOutItemId, link.stateName, link.attempt],
            statementName: "baton_engine_adopt_child") > 0
    }

    /// Fails the task as AWS reports a refused StartExecution call: TaskStarted, then TaskFailed.
    private func failTask(_ request: TaskRequest, _ key: RunKey, error: String, cause: String) {
        enqueue(.event(key, .taskStarted(taskId: request.id)))
        enqueue(.event(key, .taskFailed(taskId: request.id, failure: RunFailure(error: error, cause: cause))))
    }
}
