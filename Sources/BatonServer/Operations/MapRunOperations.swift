// DescribeMapRun and ListMapRuns: a DISTRIBUTED Map's map runs, in AWS's response shapes. (ListExecutions
// with `mapRunArn` lists a map run's child executions: ExecutionOperations.) A map run is redriven with its
// execution (RedriveExecution), which `redriveCount` and `redriveDate` report; `resultsWritten`,
// `failuresNotRedrivable` and `pendingRedrive` are 0 (there is no ResultWriter, and the children a redrive
// reruns are running again at once); each item — or ItemBatcher batch — is one child execution, so the item
// and execution counts are the same.
import BatonJSON
import Foundation

enum MapRunOperations {
    static let handlers: [String: OperationHandler] = [
        "DescribeMapRun": describe,
        "ListMapRuns": list,
        "UpdateMapRun": update,
    ]

    static func describe(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("mapRunArn", max: 2000)
        _ = try context.mapRunArn(arnText, field: "mapRunArn")
        guard let run = try await context.backend.describeMapRun(arn: arnText) else {
            throw APIError.resourceNotFound(arnText)
        }
        let counts = counts(run.itemCounts)
        var object: JSONObject = [
            "mapRunArn": .string(run.arn), "executionArn": .string(run.executionArn), "status": .string(run.status),
            "startDate": AWSTimestamp.json(run.startDate), "maxConcurrency": .int(run.maxConcurrency),
            "toleratedFailurePercentage": .number(.double(run.toleratedFailurePercentage)),
            "toleratedFailureCount": .int(run.toleratedFailureCount),
            "itemCounts": counts, "executionCounts": counts, "redriveCount": .int(run.redriveCount),
        ]
        if let stopDate = run.stopDate { object["stopDate"] = AWSTimestamp.json(stopDate) }
        if let redriveDate = run.redriveDate { object["redriveDate"] = AWSTimestamp.json(redriveDate) }
        return .object(object)
    }

    /// Changes a running map run's MaxConcurrency and tolerated failures; a coordinator applies the change at
    /// once (starting more children, or failing the map run when its failures now exceed the threshold). A map
    /// run that has ended is left as it was.
    static func update(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("mapRunArn", max: 2000)
        let maxConcurrency = try input.integer("maxConcurrency", min: 0)
        let percentage = try input.double("toleratedFailurePercentage", min: 0, max: 100)
        let count = try input.integer("toleratedFailureCount", min: 0)
        _ = try context.mapRunArn(arnText, field: "mapRunArn")
        guard try await context.backend.updateMapRun(
            arn: arnText, maxConcurrency: maxConcurrency, toleratedFailureCount: count, toleratedFailurePercentage: percentage)
        else { throw APIError.resourceNotFound(arnText) }
        return .object([:])
    }

    static func list(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        let limit = Pagination.pageSize(try input.integer("maxResults", min: 0, max: 1000))
        let token = try input.string("nextToken", min: 1, max: 1024)
        _ = try context.executionArn(arnText, field: "executionArn")
        let cursor = try token.map { token throws(APIError) in
            try PageToken.cursor(token, operation: "ListMapRuns", scope: arnText)
        }
        guard let runs = try await context.backend.listMapRuns(executionArn: arnText, after: cursor, limit: limit + 1) else {
            throw APIError.executionDoesNotExist(arnText)
        }
        let page = runs.prefix(limit)
        var object: JSONObject = [
            "mapRuns": .array(page.map { run in
                var item: JSONObject = [
                    "executionArn": .string(run.executionArn), "mapRunArn": .string(run.arn),
                    "stateMachineArn": .string(run.stateMachineArn), "startDate": AWSTimestamp.json(run.startDate),
                ]
                if let stopDate = run.stopDate { item["stopDate"] = AWSTimestamp.json(stopDate) }
                return .object(item)
            })
        ]
        if runs.count > limit, let last = page.last {
            object["nextToken"] = .string(PageToken.encode(
                operation: "ListMapRuns", scope: arnText, cursor: ExecutionCursor(startDate: last.startDate, arn: last.arn)))
        }
        return .object(object)
    }

    /// AWS's MapRunItemCounts / MapRunExecutionCounts.
    static func counts(_ counts: MapRunCounts) -> JSON {
        [
            "pending": .int(counts.pending), "running": .int(counts.running), "succeeded": .int(counts.succeeded),
            "failed": .int(counts.failed), "timedOut": .int(counts.timedOut), "aborted": .int(counts.aborted),
            "total": .int(counts.total), "resultsWritten": 0, "failuresNotRedrivable": 0, "pendingRedrive": 0,
        ]
    }
}
