// What the activity, tag and redrive operations need from the backend, with defaults that say the backend
// cannot (the in-memory backend of the tests, a server without storage).
import Foundation

/// An activity as the API reports it.
public struct ActivityRecord: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its ARN.
    public var arn: String
    /// When it was created.
    public var creationDate: Date

    /// A record with these values.
    public init(name: String, arn: String, creationDate: Date) {
        self.name = name
        self.arn = arn
        self.creationDate = creationDate
    }
}

/// A tag of a state machine or activity.
public struct ResourceTag: Sendable, Hashable {
    /// 1–128 characters.
    public var key: String
    /// 0–256 characters.
    public var value: String

    /// A tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// AWS's tag limits.
public enum TagLimits {
    /// At most this many tags per resource (`TooManyTags` beyond).
    public static let perResource = 50
}

extension StepFunctionsBackend {
    private func unsupported(_ what: String) -> APIError {
        APIError.unknownOperation("this server's backend does not store \(what)")
    }

    /// Creates an activity.
    public func createActivity(name: String, tags: [ResourceTag]) async throws -> ActivityRecord {
        throw unsupported("activities")
    }

    /// Deletes an activity.
    public func deleteActivity(name: String) async throws { throw unsupported("activities") }

    /// The activity named `name`.
    public func describeActivity(name: String) async throws -> ActivityRecord? { throw unsupported("activities") }

    /// Activities in name order.
    public func listActivities(afterName: String?, limit: Int) async throws -> [ActivityRecord] {
        throw unsupported("activities")
    }

    /// Adds or replaces tags.
    public func tagResource(arn: String, tags: [ResourceTag]) async throws { throw unsupported("tags") }

    /// Removes tags.
    public func untagResource(arn: String, keys: [String]) async throws { throw unsupported("tags") }

    /// The tags of `arn`.
    public func listTags(arn: String) async throws -> [ResourceTag] { throw unsupported("tags") }

    /// Redrives an execution.
    public func redriveExecution(arn: String, clientToken: String?) async throws -> Date {
        throw APIError.unknownOperation("this server's backend cannot redrive executions")
    }
}
