// Activities for outside workers: CreateActivity and DeleteActivity (activities are not stored: an activity
// is the name its tasks carry, so creating one just hands out its ARN), and GetActivityTask, a long poll of up
// to 60 seconds (as AWS) for a task of the activity, handed out with a task token. Baton workers of the same
// name (`baton worker --function NAME`) claim from the same queue.
import BatonJSON
import Foundation

enum ActivityOperations {
    static let handlers: [String: OperationHandler] = [
        "CreateActivity": create,
        "DeleteActivity": delete,
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
        _ = try input.objectList("tags")
        try AWSNames.check(name, field: "name")
        return ["activityArn": .string(context.arns.activity(name)), "creationDate": AWSTimestamp.json(context.now())]
    }

    static func delete(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        _ = try activityName(input, context)
        return .object([:])
    }

    static func getTask(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try activityName(input, context)
        let worker = try input.string("workerName", min: 1, max: 80)
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
        _ = try TaskToken.parse(token)
        try await context.backend.sendTaskSuccess(token: token, output: output)
        return .object([:])
    }

    static func failure(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let token = try input.requiredString("taskToken", max: 2048)
        let error = try input.string("error", max: 256)
        let cause = try input.string("cause", max: 32768)
        _ = try TaskToken.parse(token)
        try await context.backend.sendTaskFailure(token: token, error: error, cause: cause)
        return .object([:])
    }

    static func heartbeat(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let token = try input.requiredString("taskToken", max: 2048)
        _ = try TaskToken.parse(token)
        try await context.backend.sendTaskHeartbeat(token: token)
        return .object([:])
    }
}
