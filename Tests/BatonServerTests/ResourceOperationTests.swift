// The request side of the operations for tags, activities, callbacks and redrive, in-process: the checks made
// before the backend is asked (ARN kinds, the model's lengths, the 50-tag limit, token forms), each answered
// in AWS's shape naming the field. The stored behaviour runs against PostgreSQL in lifecycle_boto3.py.
import BatonJSON
import BatonServer
import Foundation
import HummingbirdTesting
import Testing

@Suite struct ResourceOperationTests {
    static let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:m"

    @Test func tagRequestsAreCheckedAgainstTheModel() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let execution = try await ServerHarness.call(client, "TagResource", [
                "resourceArn": "arn:aws:states:us-east-1:123456789012:execution:m:e", "tags": [["key": "a", "value": "b"]]])
            #expect(execution.body["__type"] == "InvalidArn")

            let longKey = try await ServerHarness.call(client, "TagResource", [
                "resourceArn": .string(Self.machine), "tags": [["key": .string(String(repeating: "k", count: 129)), "value": "v"]]])
            #expect(longKey.body["__type"] == "ValidationException")
            #expect(longKey.body["message"]?.stringValue?.contains("'key'") == true)

            let tooMany = try await ServerHarness.call(client, "TagResource", [
                "resourceArn": .string(Self.machine), "tags": .array((0...50).map { ["key": .string("k\($0)"), "value": "v"] })])
            #expect(tooMany.body["__type"] == "TooManyTags")

            let noKeys = try await ServerHarness.call(client, "UntagResource", ["resourceArn": .string(Self.machine)])
            #expect(noKeys.body["__type"] == "ValidationException")
            #expect(noKeys.body["message"]?.stringValue?.contains("'tagKeys'") == true)

            let elsewhere = try await ServerHarness.call(client, "ListTagsForResource", [
                "resourceArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:m"])
            #expect(elsewhere.body["__type"] == "ResourceNotFound")
        }
    }

    @Test func activityRedriveAndTokenRequestsAreChecked() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let badName = try await ServerHarness.call(client, "CreateActivity", ["name": "bad name"])
            #expect(badName.body["__type"] == "InvalidName")

            let notActivity = try await ServerHarness.call(client, "DescribeActivity", ["activityArn": .string(Self.machine)])
            #expect(notActivity.body["__type"] == "InvalidArn")

            let redriveMachine = try await ServerHarness.call(client, "RedriveExecution", ["executionArn": .string(Self.machine)])
            #expect(redriveMachine.body["__type"] == "InvalidArn")

            let longClientToken = try await ServerHarness.call(client, "RedriveExecution", [
                "executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e",
                "clientToken": .string(String(repeating: "c", count: 65))])
            #expect(longClientToken.body["__type"] == "ValidationException")

            let forged = try await ServerHarness.call(client, "SendTaskSuccess", ["taskToken": "forged", "output": "{}"])
            #expect(forged.body["__type"] == "InvalidToken")

            // A callback token's form passes the request checks and reaches the backend (which here stores none).
            let callback = try await ServerHarness.call(client, "SendTaskHeartbeat", ["taskToken": .string(TaskToken.callbackPrefix + "00")])
            #expect(callback.body["__type"] == "UnknownOperationException")
        }
    }
}
