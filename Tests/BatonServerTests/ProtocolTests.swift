// The AWS JSON 1.0 layer in-process: routing by X-Amz-Target, error shapes and statuses, field validation,
// ARNs, body limits, pagination tokens, health.
import BatonJSON
import BatonServer
import Foundation
import HummingbirdTesting
import Testing

@Suite struct ProtocolTests {
    @Test func unknownAndUnimplementedOperations() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let unknown = try await ServerHarness.call(client, "FlyToTheMoon", [:])
            #expect(unknown.status == 400)
            #expect(unknown.body["__type"] == "UnknownOperationException")
            #expect(unknown.body["message"]?.stringValue?.contains("FlyToTheMoon") == true)

            let unimplemented = try await ServerHarness.call(client, "TestState", [:])
            #expect(unimplemented.body["__type"] == "UnknownOperationException")
            #expect(unimplemented.body["message"]?.stringValue?.contains("does not implement TestState") == true)

            let missing = try await ServerHarness.raw(client, target: nil, body: Array("{}".utf8))
            #expect(missing.status == 400)
            #expect(missing.body["__type"] == "UnknownOperationException")

            let otherService = try await ServerHarness.raw(client, target: "DynamoDB_20120810.ListTables", body: Array("{}".utf8))
            #expect(otherService.body["__type"] == "UnknownOperationException")
        }
    }

    @Test func malformedBodies() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let notJSON = try await ServerHarness.raw(client, target: "AWSStepFunctions.ListStateMachines", body: Array("{nope".utf8))
            #expect(notJSON.status == 400)
            #expect(notJSON.body["__type"] == "SerializationException")

            let array = try await ServerHarness.raw(client, target: "AWSStepFunctions.ListStateMachines", body: Array("[1]".utf8))
            #expect(array.body["__type"] == "SerializationException")
            #expect(array.body["message"]?.stringValue?.contains("must be a JSON object") == true)

            let empty = try await ServerHarness.raw(client, target: "AWSStepFunctions.ListStateMachines", body: [])
            #expect(empty.status == 200)
            #expect(empty.body["stateMachines"] == [])
        }
    }

    @Test func fieldValidationNamesTheField() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let missing = try await ServerHarness.call(client, "CreateStateMachine", ["name": "a", "roleArn": .string(ServerHarness.role)])
            #expect(missing.status == 400)
            #expect(missing.body["__type"] == "ValidationException")
            #expect(missing.body["message"]?.stringValue?.contains("'definition'") == true)

            let wrongType = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": 7, "definition": .string(ServerHarness.passDefinition), "roleArn": .string(ServerHarness.role)])
            #expect(wrongType.body["__type"] == "ValidationException")
            #expect(wrongType.body["message"]?.stringValue?.contains("'name' must be a string") == true)

            let long = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": .string(String(repeating: "n", count: 81)), "definition": .string(ServerHarness.passDefinition),
                 "roleArn": .string(ServerHarness.role)])
            #expect(long.body["__type"] == "ValidationException")
            #expect(long.body["message"]?.stringValue?.contains("at 'name' failed to satisfy constraint: Member must have length less than or equal to 80") == true)

            let badName = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": "has space", "definition": .string(ServerHarness.passDefinition), "roleArn": .string(ServerHarness.role)])
            #expect(badName.body["__type"] == "InvalidName")

            let badEnum = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": "ok", "definition": .string(ServerHarness.passDefinition), "roleArn": .string(ServerHarness.role), "type": "FAST"])
            #expect(badEnum.body["__type"] == "ValidationException")
            #expect(badEnum.body["message"]?.stringValue?.contains("'type'") == true)

            let range = try await ServerHarness.call(client, "ListStateMachines", ["maxResults": 1001])
            #expect(range.body["__type"] == "ValidationException")
            #expect(range.body["message"]?.stringValue?.contains("'maxResults'") == true)

            let badDefinition = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": "bad", "definition": #"{"StartAt":"Missing","States":{}}"#, "roleArn": .string(ServerHarness.role)])
            #expect(badDefinition.body["__type"] == "InvalidDefinition")
            #expect(badDefinition.body["message"]?.stringValue?.contains("SCHEMA_VALIDATION_FAILED") == true)

            let notJSONDefinition = try await ServerHarness.call(
                client, "CreateStateMachine", ["name": "bad", "definition": "{", "roleArn": .string(ServerHarness.role)])
            #expect(notJSONDefinition.body["__type"] == "InvalidDefinition")
            #expect(notJSONDefinition.body["message"]?.stringValue?.contains("INVALID_JSON_DESCRIPTION") == true)
        }
    }

    @Test func arns() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let garbage = try await ServerHarness.call(client, "DescribeStateMachine", ["stateMachineArn": "not-an-arn"])
            #expect(garbage.status == 400)
            #expect(garbage.body["__type"] == "InvalidArn")

            let wrongKind = try await ServerHarness.call(
                client, "DescribeStateMachine", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:activity:x"])
            #expect(wrongKind.body["__type"] == "InvalidArn")

            let absent = try await ServerHarness.call(
                client, "DescribeStateMachine", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:nope"])
            #expect(absent.body["__type"] == "StateMachineDoesNotExist")

            let otherAccount = try await ServerHarness.call(
                client, "DescribeExecution", ["executionArn": "arn:aws:states:us-east-1:999999999999:execution:m:e"])
            #expect(otherAccount.body["__type"] == "ExecutionDoesNotExist")
            #expect(otherAccount.body["message"]?.stringValue?.contains("123456789012") == true)

            let badExecution = try await ServerHarness.call(
                client, "DescribeExecution", ["executionArn": "arn:aws:states:us-east-1:123456789012:execution:onlymachine"])
            #expect(badExecution.body["__type"] == "InvalidArn")
        }
    }

    @Test func bodyLimit() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend(), maximumBodyBytes: 1000) { client in
            let big: JSON = ["definition": .string(String(repeating: "x", count: 2000))]
            let response = try await ServerHarness.call(client, "ValidateStateMachineDefinition", big)
            #expect(response.status == 413)
            #expect(response.body["__type"] == "RequestEntityTooLargeException")
            #expect(response.body["message"]?.stringValue?.contains("1000 bytes") == true)
        }
    }

    @Test func validateStateMachineDefinition() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let ok = try await ServerHarness.call(client, "ValidateStateMachineDefinition", ["definition": .string(ServerHarness.passDefinition)])
            #expect(ok.status == 200)
            #expect(ok.body["result"] == "OK")
            #expect(ok.body["diagnostics"] == [])

            let bad = try await ServerHarness.call(
                client, "ValidateStateMachineDefinition",
                ["definition": #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}"#])
            #expect(bad.body["result"] == "FAIL")
            let next = bad.body["diagnostics"]?.arrayValue?.first { $0["location"] == "/States/A/Next" }
            #expect(next?["severity"] == "ERROR")
            #expect(next?["code"] == "SCHEMA_VALIDATION_FAILED")
            #expect(next?["message"]?.stringValue?.contains("Nowhere") == true)

            let notJSON = try await ServerHarness.call(client, "ValidateStateMachineDefinition", ["definition": "{\"StartAt\":"])
            #expect(notJSON.body["result"] == "FAIL")
            #expect(notJSON.body["diagnostics"]?[0]?["code"] == "INVALID_JSON_DESCRIPTION")
        }
    }

    @Test func stateMachineLifecycleAndPagination() async throws {
        let backend = MemoryBackend()
        try await ServerHarness.withServer(backend: backend) { client in
            for name in ["c", "a", "b"] {
                let created = try await ServerHarness.call(
                    client, "CreateStateMachine",
                    ["name": .string(name), "definition": .string(ServerHarness.passDefinition), "roleArn": .string(ServerHarness.role)])
                #expect(created.status == 200)
                #expect(created.body["stateMachineArn"]?.stringValue == "arn:aws:states:us-east-1:123456789012:stateMachine:\(name)")
                #expect(created.body["creationDate"]?.doubleValue != nil)
            }
            var names: [String] = []
            var token: JSON? = nil
            repeat {
                var input: JSONObject = ["maxResults": 2]
                if let token { input["nextToken"] = token }
                let page = try await ServerHarness.call(client, "ListStateMachines", .object(input))
                #expect(page.status == 200)
                names += page.body["stateMachines"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                token = page.body["nextToken"]
            } while token != nil
            #expect(names == ["a", "b", "c"])

            let forged = try await ServerHarness.call(client, "ListStateMachines", ["nextToken": "bm90IGEgdG9rZW4"])
            #expect(forged.body["__type"] == "InvalidToken")

            let described = try await ServerHarness.call(
                client, "DescribeStateMachine", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:a"])
            #expect(described.body["definition"]?.stringValue == (try JSON(parsing: ServerHarness.passDefinition)).serialized())
            #expect(described.body["roleArn"]?.stringValue == ServerHarness.role)
            #expect(described.body["status"] == "ACTIVE")

            let update = try await ServerHarness.call(
                client, "UpdateStateMachine", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:a"])
            #expect(update.body["__type"] == "MissingRequiredParameter")
        }
    }

    @Test func executionsHistoryAndPagination() async throws {
        let backend = MemoryBackend()
        let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
        try await ServerHarness.withServer(backend: backend) { client in
            _ = try await ServerHarness.call(
                client, "CreateStateMachine",
                ["name": "m", "definition": .string(ServerHarness.passDefinition), "roleArn": .string(ServerHarness.role)])
            let badInput = try await ServerHarness.call(client, "StartExecution", ["stateMachineArn": .string(machine), "input": "{"])
            #expect(badInput.body["__type"] == "InvalidExecutionInput")

            let first = try await ServerHarness.call(
                client, "StartExecution", ["stateMachineArn": .string(machine), "name": "one", "input": #"{"x":1}"#])
            #expect(first.status == 200)
            #expect(first.body["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:m:one")
            let again = try await ServerHarness.call(
                client, "StartExecution", ["stateMachineArn": .string(machine), "name": "one", "input": #"{"x":1}"#])
            #expect(again.body["executionArn"] == first.body["executionArn"])
            let conflict = try await ServerHarness.call(
                client, "StartExecution", ["stateMachineArn": .string(machine), "name": "one", "input": #"{"x":2}"#])
            #expect(conflict.body["__type"] == "ExecutionAlreadyExists")
            for index in 0..<4 {
                _ = try await ServerHarness.call(client, "StartExecution", ["stateMachineArn": .string(machine), "name": .string("e\(index)")])
            }
            var listed: [String] = []
            var token: JSON? = nil
            repeat {
                var input: JSONObject = ["stateMachineArn": .string(machine), "maxResults": 2]
                if let token { input["nextToken"] = token }
                let page = try await ServerHarness.call(client, "ListExecutions", .object(input))
                #expect(page.status == 200)
                listed += page.body["executions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                token = page.body["nextToken"]
            } while token != nil
            #expect(listed == ["e3", "e2", "e1", "e0", "one"])

            let arn = "arn:aws:states:us-east-1:123456789012:execution:m:one"
            await backend.finish(arn, output: #"{"done":true}"#)
            let described = try await ServerHarness.call(client, "DescribeExecution", ["executionArn": .string(arn)])
            #expect(described.body["status"] == "SUCCEEDED")
            #expect(described.body["output"] == #"{"done":true}"#)
            #expect(described.body["input"] == #"{"x":1}"#)

            let history = try await ServerHarness.call(client, "GetExecutionHistory", ["executionArn": .string(arn), "maxResults": 1])
            #expect(history.body["events"]?[0]?["type"] == "ExecutionStarted")
            let rest = try await ServerHarness.call(
                client, "GetExecutionHistory",
                ["executionArn": .string(arn), "maxResults": 1, "nextToken": history.body["nextToken"] ?? .null])
            #expect(rest.body["events"]?[0]?["type"] == "ExecutionSucceeded")
            #expect(rest.body["nextToken"] == nil)

            let reversed = try await ServerHarness.call(
                client, "GetExecutionHistory", ["executionArn": .string(arn), "reverseOrder": true, "includeExecutionData": false])
            #expect(reversed.body["events"]?[0]?["type"] == "ExecutionSucceeded")
            #expect(reversed.body["events"]?[0]?["executionSucceededEventDetails"]?["output"] == nil)
            #expect(reversed.body["events"]?[0]?["executionSucceededEventDetails"]?["outputDetails"] == ["included": false])

            let crossToken = try await ServerHarness.call(
                client, "GetExecutionHistory",
                ["executionArn": .string(arn), "reverseOrder": true, "nextToken": history.body["nextToken"] ?? .null])
            #expect(crossToken.body["__type"] == "InvalidToken")

            let stopped = try await ServerHarness.call(
                client, "StopExecution", ["executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e0", "error": "Cancelled"])
            #expect(stopped.status == 200)
            #expect(stopped.body["stopDate"]?.doubleValue != nil)
            let aborted = try await ServerHarness.call(
                client, "ListExecutions", ["stateMachineArn": .string(machine), "statusFilter": "ABORTED"])
            #expect(aborted.body["executions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["e0"])
        }
    }

    @Test func healthAndReadiness() async throws {
        try await ServerHarness.withServer(backend: MemoryBackend()) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
        }
        try await ServerHarness.withServer(backend: UnavailableBackend(reason: "no database here")) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status.code == 503)
            #expect(String(buffer: ready.body).contains("no database here"))
            let api = try await ServerHarness.call(client, "ListStateMachines", [:])
            #expect(api.status == 503)
        }
    }
}
