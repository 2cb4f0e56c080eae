// Activities for outside workers: CreateActivity (idempotent by name, as AWS), DeleteActivity, DescribeActivity,
// ListActivities, and GetActivityTask, a long poll of up to 60 seconds (as AWS) for a task of the activity,
// handed out with a task token. Baton workers of the same name (`baton worker --function NAME`) claim from the
// same queue.
import BatonJSON
import Foundation

enum ActivityOperations {
    static let handlers: [String: OperationHandler] = [
        "CreateActivity": create,
        "DeleteActivity": delete,
        "DescribeActivity": describe,
        "ListActivities": list,
        "GetActivityTask": getTask,
    ]

    static func activityName(_ input: RequestFields, _ context: OperationContext) throws(APIError) -> String {
        let text = try input.requiredString("activityArn", max: 256)
        let arn = try ResourceArn.parse(text, as: [.activity], field: "activityArn")
        guard arn.isLocal(to: context.arns) else { throw APIError.activityDoesNotExist(text) }
        return arn.name
    }

    static func create(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try input.requiredString("name", max: 80)
        let tags = try TagOperations.tags(input, "tags") ?? []
        try AWSNames.check(name, field: "name")
        let record = try await context.backend.createActivity(name: name, tags: tags)
        return ["activityArn": .string(record.arn), "creationDate": AWSTimestamp.json(record.creationDate)]
    }

    static func delete(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        try await context.backend.deleteActivity(name: try activityName(input, context))
        return .object([:])
    }

    static func describe(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let text = try input.requiredString("activityArn", max: 256)
        guard let record = try await context.backend.describeActivity(name: try activityName(input, context)) else {
            throw APIError.activityDoesNotExist(text)
        }
        return item(record)
    }

    static func list(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let (page, next) = try await Pagination.byName(input, operation: "ListActivities", name: \.name) { after, limit in
            try await context.backend.listActivities(afterName: after, limit: limit)
        }
        var object: JSONObject = ["activities": .array(page.map(item))]
        if let next { object["nextToken"] = .string(next) }
        return .object(object)
    }

    static func item(_ record: ActivityRecord) -> JSON {
        ["activityArn": .string(record.arn), "name": .string(record.name), "creationDate": AWSTimestamp.json(record.creationDate)]
    }

    static func getTask(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let text = try input.requiredString("activityArn", max: 256)
        let name = try activityName(input, context)
        let worker = try input.string("workerName", min: 1, max: 80)
        guard try await context.backend.describeActivity(name: name) != nil else {
            throw APIError.activityDoesNotExist(text)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: context.activityPollTimeout)
        var pause = Duration.milliseconds(50)
        while true {
            if let task = try await context.backend.claimActivityTask(activity: name, workerName: worker) {
                return ["taskToken": .string(task.token), "input": .string(task.input)]
            }
            guard clock.now < deadline else { return .object([:]) }
            // Poll with back-off up to one second: an idle poller costs a cheap index probe per second.
            try await Task.sleep(for: min(pause, deadline - clock.now))
            pause = min(pause * 2, .seconds(1))
        }
    }
}

enum TaskOperations {
    static let handlers: [String: OperationHandler] = [
        "SendTaskSuccess": success,
        "SendTaskFailure": failure,
        "SendTaskHeartbeat": heartbeat,
    ]

    static func success(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let token = try input.requiredString("taskToken", max: 2048)
        let output = try input.requiredString("output", min: 0, max: 262_144)
        do {
            _ = try JSON(parsing: output)
        } catch {
            throw APIError("InvalidOutput", "Invalid Output: '\(error)'")
        }
        try TaskToken.check(token)
        try await context.backend.sendTaskSuccess(token: token, output: output)
        return .object([:])
    }

    static func failure(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let token = try input.requiredString("taskToken", max: 2048)
        let error = try input.string("error", max: 256)
        let cause = try input.string("cause", max: 32768)
        try TaskToken.check(token)
        try await context.backend.sendTaskFailure(token: token, error: error, cause: cause)
        return .object([:])
    }

    static func heartbeat(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let token = try input.requiredString("taskToken", max: 2048)
        try TaskToken.check(token)
        try await context.backend.sendTaskHeartbeat(token: token)
        return .object([:])
    }
}
