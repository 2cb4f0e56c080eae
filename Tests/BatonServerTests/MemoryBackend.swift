// An in-memory StepFunctionsBackend for the protocol tests: enough behaviour (idempotent create and start,
// ordering, not-found) to check the HTTP layer without a database.
import BatonJSON
import BatonServer
import Foundation

actor MemoryBackend: StepFunctionsBackend {
    let arns: ArnConfiguration
    var machines: [String: StateMachineRecord] = [:]
    var executions: [String: ExecutionRecord] = [:]
    var histories: [String: [HistoryRecord]] = [:]
    var startCount = 0
    var clock = Date(timeIntervalSince1970: 1_700_000_000)

    init(arns: ArnConfiguration = ArnConfiguration()) { self.arns = arns }

    private func tick() -> Date {
        clock = clock.addingTimeInterval(0.001)
        return clock
    }

    func createStateMachine(name: String, definition: JSON, roleArn: String, type: String) async throws -> StateMachineRecord {
        if let existing = machines[name] {
            guard existing.definition == definition.serialized() else {
                throw APIError("StateMachineAlreadyExists", "State Machine Already Exists: '\(existing.arn)'")
            }
            return existing
        }
        let now = tick()
        let record = StateMachineRecord(
            name: name, arn: arns.stateMachine(name), type: type, status: "ACTIVE", definition: definition.serialized(),
            roleArn: roleArn, creationDate: now, updateDate: now, revisionId: UUID().uuidString.lowercased())
        machines[name] = record
        return record
    }

    func updateStateMachine(name: String, definition: JSON?, roleArn: String?) async throws -> StateMachineRecord {
        guard var record = machines[name] else { throw APIError.stateMachineDoesNotExist(arns.stateMachine(name)) }
        if let definition { record.definition = definition.serialized() }
        if let roleArn { record.roleArn = roleArn }
        record.updateDate = tick()
        record.revisionId = UUID().uuidString.lowercased()
        machines[name] = record
        return record
    }

    func describeStateMachine(name: String) async throws -> StateMachineRecord? { machines[name] }

    func listStateMachines(afterName: String?, limit: Int) async throws -> [StateMachineRecord] {
        Array(machines.values.sorted { $0.name < $1.name }.filter { afterName == nil || $0.name > afterName! }.prefix(limit))
    }

    func deleteStateMachine(name: String) async throws { machines[name] = nil }

    func startExecution(stateMachine: String, name: String?, input: JSON) async throws -> ExecutionRecord {
        guard let machine = machines[stateMachine] else { throw APIError.stateMachineDoesNotExist(arns.stateMachine(stateMachine)) }
        let executionName = name ?? UUID().uuidString.lowercased()
        let arn = arns.execution(machine: stateMachine, name: executionName)
        if let existing = executions[arn] {
            guard existing.input == input.serialized() else {
                throw APIError("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
            }
            return existing
        }
        startCount += 1
        let record = ExecutionRecord(
            arn: arn, name: executionName, stateMachineArn: machine.arn, status: "RUNNING", input: input.serialized(),
            startDate: tick())
        executions[arn] = record
        histories[arn] = [
            HistoryRecord(
                id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: record.startDate,
                detailsKey: "executionStartedEventDetails",
                details: ["input": .string(record.input), "roleArn": .string(machine.roleArn ?? "")])
        ]
        return record
    }

    func describeExecution(arn: String) async throws -> ExecutionRecord? { executions[arn] }

    func listExecutions(stateMachine: String, status: String?, after cursor: ExecutionCursor?, limit: Int) async throws
        -> [ExecutionRecord]
    {
        let sorted = executions.values
            .filter { $0.stateMachineArn == arns.stateMachine(stateMachine) && (status == nil || $0.status == status) }
            .sorted { ($0.startDate, $0.arn) > ($1.startDate, $1.arn) }
        let after = sorted.filter { record in
            guard let cursor else { return true }
            return (record.startDate, record.arn) < (cursor.startDate, cursor.arn)
        }
        return Array(after.prefix(limit))
    }

    func history(executionArn: String) async throws -> [HistoryRecord]? { histories[executionArn] }

    func stopExecution(arn: String, error: String?, cause: String?) async throws -> ExecutionRecord {
        guard var record = executions[arn] else { throw APIError.executionDoesNotExist(arn) }
        if record.status == "RUNNING" {
            record.status = "ABORTED"
            record.error = error
            record.cause = cause
            record.stopDate = tick()
            executions[arn] = record
        }
        return record
    }

    func finish(_ arn: String, output: String) {
        executions[arn]?.status = "SUCCEEDED"
        executions[arn]?.output = output
        executions[arn]?.stopDate = tick()
        var events = histories[arn] ?? []
        events.append(
            HistoryRecord(
                id: events.count + 1, previousEventId: events.count, type: "ExecutionSucceeded", timestamp: clock,
                detailsKey: "executionSucceededEventDetails", details: ["output": .string(output)]))
        histories[arn] = events
    }

    func checkReady() async throws {}
}
