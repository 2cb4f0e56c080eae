// StartExecution, StartSyncExecution, DescribeExecution, ListExecutions and StopExecution.
import BatonEngine
import BatonJSON
import Foundation

enum ExecutionOperations {
    static let handlers: [String: OperationHandler] = [
        "StartExecution": start,
        "StartSyncExecution": startSync,
        "DescribeExecution": describe,
        "ListExecutions": list,
        "StopExecution": stop,
        "RedriveExecution": redrive,
    ]

    static let statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]

    /// The parts of StartExecution and StartSyncExecution input.
    struct StartInput {
        var machine: String
        var name: String?
        var input: JSON
    }

    static func readStart(_ input: RequestFields, _ context: OperationContext) throws(APIError) -> StartInput {
        let arnText = try input.requiredString("stateMachineArn", max: 256)
        let name = try input.string("name", min: 1, max: 80)
        let inputText = try input.string("input", max: 262_144)
        _ = try input.string("traceHeader", max: 256)
        // A version or alias ARN is passed on whole: the backend starts that published version.
        let (machine, qualifier) = try context.qualifiedStateMachine(arnText, field: "stateMachineArn")
        if let name { try AWSNames.check(name, field: "name") }
        var value = JSON.object([:])
        if let inputText {
            do {
                value = try JSON(parsing: inputText)
            } catch {
                throw APIError("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(error)'")
            }
        }
        return StartInput(machine: qualifier == nil ? machine : arnText, name: name, input: value)
    }

    static func start(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let start = try readStart(input, context)
        let record = try await context.backend.startExecution(stateMachine: start.machine, name: start.name, input: start.input)
        return ["executionArn": .string(record.arn), "startDate": AWSTimestamp.json(record.startDate)]
    }

    /// Starts an execution and answers when it has finished (AWS allows this for EXPRESS machines only; Baton
    /// runs every machine the same way, so it allows it for both).
    static func startSync(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let start = try readStart(input, context)
        let includeData = try input.enumeration("includedData", ["ALL_DATA", "METADATA_ONLY"]) != "METADATA_ONLY"
        var record = try await context.backend.startExecution(stateMachine: start.machine, name: start.name, input: start.input)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: context.syncExecutionTimeout)
        var pause = Duration.milliseconds(5)
        while record.status == "RUNNING" {
            guard clock.now < deadline else {
                throw APIError(
                    "ExecutionLimitExceeded",
                    "the execution \(record.arn) is still running after \(context.syncExecutionTimeout); use DescribeExecution to follow it")
            }
            // Back off from 5 ms to 200 ms: short executions answer quickly, long ones cost little.
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
            guard let next = try await context.backend.describeExecution(arn: record.arn) else {
                throw APIError.executionDoesNotExist(record.arn)
            }
            record = next
        }
        var object: JSONObject = [
            "executionArn": .string(record.arn), "stateMachineArn": .string(record.stateMachineArn),
            "name": .string(record.name), "startDate": AWSTimestamp.json(record.startDate),
            "stopDate": AWSTimestamp.json(record.stopDate ?? context.now()),
            "status": .string(record.status == "ABORTED" ? "FAILED" : record.status),
        ]
        if let error = record.error { object["error"] = .string(error) }
        if let cause = record.cause { object["cause"] = .string(cause) }
        if includeData {
            object["input"] = .string(record.input)
            object["inputDetails"] = ["included": true]
            if let output = record.output {
                object["output"] = .string(output)
                object["outputDetails"] = ["included": true]
            }
        }
        object["billingDetails"] = [
            "billedMemoryUsedInMB": 0,
            "billedDurationInMilliseconds": .int(Int(((record.stopDate ?? context.now()).timeIntervalSince(record.startDate) * 1000).rounded())),
        ]
        return .object(object)
    }

    static func describe(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        let includeData = try input.enumeration("includedData", ["ALL_DATA", "METADATA_ONLY"]) != "METADATA_ONLY"
        _ = try context.executionArn(arnText, field: "executionArn")
        guard let record = try await context.backend.describeExecution(arn: arnText) else {
            throw APIError.executionDoesNotExist(arnText)
        }
        var object: JSONObject = [
            "executionArn": .string(record.arn), "stateMachineArn": .string(record.stateMachineArn),
            "name": .string(record.name), "status": .string(record.status), "startDate": AWSTimestamp.json(record.startDate),
        ]
        if let stopDate = record.stopDate { object["stopDate"] = AWSTimestamp.json(stopDate) }
        if includeData {
            object["input"] = .string(record.input)
            object["inputDetails"] = ["included": true]
            if let output = record.output {
                object["output"] = .string(output)
                object["outputDetails"] = ["included": true]
            }
        }
        if let error = record.error { object["error"] = .string(error) }
        if let cause = record.cause { object["cause"] = .string(cause) }
        object["redriveCount"] = .int(record.redriveCount)
        if let redriveDate = record.redriveDate { object["redriveDate"] = AWSTimestamp.json(redriveDate) }
        if let version = record.stateMachineVersionArn { object["stateMachineVersionArn"] = .string(version) }
        if let alias = record.stateMachineAliasArn { object["stateMachineAliasArn"] = .string(alias) }
        if let reason = ExecutionStore.notRedrivableReason(
            status: record.status, stopDate: record.stopDate, redriveCount: record.redriveCount, now: context.now()) {
            object["redriveStatus"] = "NOT_REDRIVABLE"
            object["redriveStatusReason"] = .string(reason)
        } else {
            object["redriveStatus"] = "REDRIVABLE"
        }
        return .object(object)
    }

    static func list(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.string("stateMachineArn", min: 1, max: 256)
        let status = try input.enumeration("statusFilter", statuses)
        let limit = Pagination.pageSize(try input.integer("maxResults", min: 0, max: 1000))
        let token = try input.string("nextToken", min: 1, max: 3096)
        let redrive = try input.enumeration("redriveFilter", ["REDRIVEN", "NOT_REDRIVEN"])
        let mapRunText = try input.string("mapRunArn", min: 1, max: 2000)
        // The executions of a state machine, or the child executions of a DISTRIBUTED Map's map run.
        let source: String
        let fetch: @Sendable (ExecutionCursor?, Int) async throws -> [ExecutionRecord]?
        switch (arnText, mapRunText) {
        case (let arnText?, nil):
            // A version or alias ARN lists the executions started with it (the backend gets the ARN whole).
            let (machine, qualifier) = try context.qualifiedStateMachine(arnText, field: "stateMachineArn")
            guard try await context.backend.describeStateMachine(name: machine) != nil else {
                throw APIError.stateMachineDoesNotExist(arnText)
            }
            source = arnText
            let listed = qualifier == nil ? machine : arnText
            fetch = { cursor, limit in
                try await context.backend.listExecutions(stateMachine: listed, status: status, after: cursor, limit: limit)
            }
        case (nil, let mapRunText?):
            source = try context.mapRunArn(mapRunText, field: "mapRunArn").text
            fetch = { cursor, limit in
                try await context.backend.listMapRunExecutions(mapRunArn: mapRunText, status: status, after: cursor, limit: limit)
            }
        case (nil, nil):
            throw APIError.validation("Must provide a StateMachine ARN or MapRun ARN")
        case (_?, _?):
            throw APIError.validation("Must provide either a StateMachine ARN or a MapRun ARN, not both")
        }
        let scope = "\(source)|\(status ?? "")|\(redrive ?? "")"
        var cursor = try token.map { token throws(APIError) in
            try PageToken.cursor(token, operation: "ListExecutions", scope: scope)
        }
        // The redrive filter is applied here, so keep reading until the page is full or the listing ends.
        var page: [ExecutionRecord] = []
        var more = false
        while true {
            guard let batch = try await fetch(cursor, limit + 1) else {
                throw APIError.resourceNotFound(mapRunText ?? arnText ?? "")
            }
            for record in batch {
                if page.count == limit {
                    more = true
                    break
                }
                cursor = ExecutionCursor(startDate: record.startDate, arn: record.arn)
                if let redrive, (record.redriveCount > 0) != (redrive == "REDRIVEN") { continue }
                page.append(record)
            }
            if more || batch.count <= limit { break }
        }
        var object: JSONObject = [
            "executions": .array(page.map { record in
                var item: JSONObject = [
                    "executionArn": .string(record.arn), "stateMachineArn": .string(record.stateMachineArn),
                    "name": .string(record.name), "status": .string(record.status),
                    "startDate": AWSTimestamp.json(record.startDate),
                ]
                if let stopDate = record.stopDate { item["stopDate"] = AWSTimestamp.json(stopDate) }
                item["redriveCount"] = .int(record.redriveCount)
                if let redriveDate = record.redriveDate { item["redriveDate"] = AWSTimestamp.json(redriveDate) }
                if let mapRunText { item["mapRunArn"] = .string(mapRunText) }
                return .object(item)
            })
        ]
        if more, let last = cursor {
            object["nextToken"] = .string(PageToken.encode(operation: "ListExecutions", scope: scope, cursor: last))
        }
        return .object(object)
    }

    /// Restarts a FAILED, TIMED_OUT or ABORTED execution from where it failed (a coordinator applies it); a
    /// repeat with the same `clientToken` answers with the same redriveDate.
    static func redrive(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        let clientToken = try input.string("clientToken", min: 1, max: 64)
        _ = try context.executionArn(arnText, field: "executionArn")
        let date = try await context.backend.redriveExecution(arn: arnText, clientToken: clientToken)
        return ["redriveDate": AWSTimestamp.json(date)]
    }

    static func stop(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        let error = try input.string("error", max: 256)
        let cause = try input.string("cause", max: 32768)
        _ = try context.executionArn(arnText, field: "executionArn")
        let record = try await context.backend.stopExecution(arn: arnText, error: error, cause: cause)
        return ["stopDate": AWSTimestamp.json(record.stopDate ?? context.now())]
    }
}
