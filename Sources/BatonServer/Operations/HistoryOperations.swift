// GetExecutionHistory: the events in order (or reversed), a page at a time, with or without the input and
// output payloads (`includeExecutionData: false` leaves them out, as AWS does for callers without access).
import BatonJSON
import Foundation

enum HistoryOperations {
    static let handlers: [String: OperationHandler] = [
        "GetExecutionHistory": history
    ]

    /// The members of event details that carry execution data.
    static let dataMembers: Set<String> = ["input", "output", "parameters", "result"]

    static func history(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        let limit = Pagination.pageSize(try input.integer("maxResults", min: 0, max: 1000))
        let reverse = try input.boolean("reverseOrder") ?? false
        let token = try input.string("nextToken", min: 1, max: 1024)
        let includeData = try input.boolean("includeExecutionData") ?? true
        _ = try context.executionArn(arnText, field: "executionArn")
        let scope = "\(arnText)|\(reverse)"
        var offset = 0
        if let token {
            guard let position = try PageToken.decode(token, operation: "GetExecutionHistory", scope: scope).intValue,
                position >= 0
            else {
                throw APIError.invalidToken("Invalid Token: '\(token.prefix(64))'")
            }
            offset = position
        }
        guard var events = try await context.backend.history(executionArn: arnText) else {
            throw APIError.executionDoesNotExist(arnText)
        }
        if reverse { events.reverse() }
        let page = events.dropFirst(offset).prefix(limit)
        var object: JSONObject = ["events": .array(page.map { event(json: $0, includeData: includeData) })]
        if offset + page.count < events.count {
            object["nextToken"] = .string(
                PageToken.encode(operation: "GetExecutionHistory", scope: scope, position: .int(offset + page.count)))
        }
        return .object(object)
    }

    /// One event in AWS's shape.
    static func event(json record: HistoryRecord, includeData: Bool) -> JSON {
        var object: JSONObject = [
            "timestamp": AWSTimestamp.json(record.timestamp), "type": .string(record.type), "id": .int(record.id),
            "previousEventId": .int(record.previousEventId),
        ]
        if let key = record.detailsKey, case .object(var details) = record.details {
            if !includeData {
                for member in dataMembers where details[member] != nil {
                    details.removeValue(forKey: member)
                    details[member + "Details"] = ["included": false]
                }
            }
            object[key] = .object(details)
        }
        return .object(object)
    }
}
