// What the activity and callback operations need from the backend: claim one task of an activity for an
// outside worker, and complete or heartbeat a task by its token. Backends that cannot (the in-memory one of
// the tests, a server without storage) inherit answers that say so.
import BatonEngine
import Foundation

/// A task handed to an activity worker: its token and input.
public struct ActivityTask: Sendable, Hashable {
    /// The token the worker sends back with SendTaskSuccess/Failure/Heartbeat.
    public var token: String
    /// The task's input JSON text.
    public var input: String

    /// A task with this token and input.
    public init(token: String, input: String) {
        self.token = token
        self.input = input
    }
}

extension StepFunctionsBackend {
    /// Claims one available task of `activity` for `workerName`, or nil when there is none now.
    public func claimActivityTask(activity: String, workerName: String?) async throws -> ActivityTask? {
        throw APIError.unknownOperation("this server's backend does not serve activity tasks")
    }

    /// Completes the task of `token` with `output`.
    public func sendTaskSuccess(token: String, output: String) async throws {
        throw APIError.unknownOperation("this server's backend does not serve task tokens")
    }

    /// Fails the task of `token`.
    public func sendTaskFailure(token: String, error: String?, cause: String?) async throws {
        throw APIError.unknownOperation("this server's backend does not serve task tokens")
    }

    /// Records a heartbeat for the task of `token`.
    public func sendTaskHeartbeat(token: String) async throws {
        throw APIError.unknownOperation("this server's backend does not serve task tokens")
    }
}

/// Task tokens: the task id and its lease token (a random UUID the database generates for every delivery),
/// so a token is unguessable, names exactly one delivery, and stops working once the task ends, times out or
/// is redelivered (the queue fences every result by lease token).
public struct TaskToken: Sendable, Hashable {
    /// The task's id.
    public var taskID: Int64
    /// The delivery's lease token.
    public var leaseToken: UUID

    /// A token for this delivery.
    public init(taskID: Int64, leaseToken: UUID) {
        self.taskID = taskID
        self.leaseToken = leaseToken
    }

    /// The text handed to workers: `baton1.` and base64url of `ID:UUID`.
    public var text: String {
        let raw = Data("\(taskID):\(leaseToken.uuidString.lowercased())".utf8).base64EncodedString()
        return "baton1." + raw.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// InvalidToken unless `text` has the form of an activity token or of a `.waitForTaskToken` callback token
    /// (`$$.Task.Token`, which starts with `BatonEngine.CallbackToken.prefix`).
    public static func check(_ text: String) throws(APIError) {
        if text.hasPrefix(callbackPrefix) { return }
        _ = try parse(text)
    }

    /// How callback tokens begin.
    public static let callbackPrefix = CallbackToken.prefix

    /// Parses a token; InvalidToken when it is not one Baton issued.
    public static func parse(_ text: String) throws(APIError) -> TaskToken {
        guard text.hasPrefix("baton1.") else { throw APIError.invalidToken("Invalid Token: not a Baton task token") }
        var base64 = String(text.dropFirst(7)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let raw = String(data: data, encoding: .utf8) else {
            throw APIError.invalidToken("Invalid Token: not a Baton task token")
        }
        let parts = raw.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[0]), let lease = UUID(uuidString: String(parts[1])) else {
            throw APIError.invalidToken("Invalid Token: not a Baton task token")
        }
        return TaskToken(taskID: id, leaseToken: lease)
    }
}
