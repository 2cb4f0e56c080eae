// TagResource, UntagResource and ListTagsForResource for state machines and activities, with AWS's limits:
// keys of 1–128 characters, values of 0–256, at most 50 tags per resource (TooManyTags), and ResourceNotFound
// for an ARN that names nothing here.
import BatonJSON
import Foundation

enum TagOperations {
    static let handlers: [String: OperationHandler] = [
        "TagResource": tag,
        "UntagResource": untag,
        "ListTagsForResource": list,
    ]

    /// The `[{key, value}]` list in `field`, checked against the model's constraints.
    static func tags(_ input: RequestFields, _ field: String) throws(APIError) -> [ResourceTag]? {
        guard let objects = try input.objectList(field) else { return nil }
        var tags: [ResourceTag] = []
        for (index, object) in objects.enumerated() {
            let member = RequestFields(object)
            let key = try member.string("key", min: 1, max: 128)
            let value = try member.string("value", max: 256)
            guard let key else {
                throw APIError.validation(
                    "1 validation error detected: Value null at '\(field).\(index + 1).member.key' failed to satisfy constraint: Member must not be null")
            }
            tags.append(ResourceTag(key: key, value: value ?? ""))
        }
        if tags.count > TagLimits.perResource {
            throw APIError("TooManyTags", "Too many tags: at most \(TagLimits.perResource) tags per resource")
        }
        return tags
    }

    /// The ARN in `resourceArn`: a state machine or activity of this region and account.
    static func resource(_ input: RequestFields, _ context: OperationContext) throws(APIError) -> String {
        let text = try input.requiredString("resourceArn", max: 256)
        let arn = try ResourceArn.parse(text, as: [.stateMachine, .activity], field: "resourceArn")
        guard arn.isLocal(to: context.arns) else { throw APIError.resourceNotFound(text) }
        return text
    }

    static func tag(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arn = try resource(input, context)
        guard let tags = try tags(input, "tags") else {
            throw APIError.validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
        }
        try await context.backend.tagResource(arn: arn, tags: tags)
        return .object([:])
    }

    static func untag(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arn = try resource(input, context)
        guard let keys = try input.stringList("tagKeys", min: 1, max: 128) else {
            throw APIError.validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
        }
        try await context.backend.untagResource(arn: arn, keys: keys)
        return .object([:])
    }

    static func list(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arn = try resource(input, context)
        let tags = try await context.backend.listTags(arn: arn)
        return ["tags": .array(tags.map { ["key": .string($0.key), "value": .string($0.value)] })]
    }
}
