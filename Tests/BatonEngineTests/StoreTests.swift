import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("Engine stores") struct StoreTests {
    static let pass = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#

    @Test func createDescribeUpdateListDelete() async throws {
        let h = try await EngineHarness.make(suite: "EngineStores")
        defer { Task { await h.connection.close() } }
        let created = try await h.stateMachines.create(name: "hello", definition: try JSON(parsing: Self.pass), on: h.connection)
        #expect(created.arn == "arn:aws:states:us-east-1:123456789012:stateMachine:hello")
        #expect(created.versionNumber == 1)
        // Creating again with the same definition returns it; a different one is StateMachineAlreadyExists.
        let again = try await h.stateMachines.create(name: "hello", definition: try JSON(parsing: Self.pass), on: h.connection)
        #expect(again.id == created.id)
        let other = #"{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}"#
        await #expect { try await h.stateMachines.create(name: "hello", definition: try JSON(parsing: other), on: h.connection) } throws: {
            ($0 as? EngineError)?.code == .stateMachineAlreadyExists
        }
        let updated = try await h.stateMachines.update(created.arn, definition: try JSON(parsing: other), on: h.connection)
        #expect(updated.versionNumber == 2 && updated.definition == other)
        #expect(try await h.stateMachines.list(on: h.connection).map(\.name) == ["hello"])
        // An invalid definition is refused with its problems.
        await #expect { try await h.stateMachines.create(name: "bad", definition: ["StartAt": "X", "States": [:]], on: h.connection) } throws: {
            ($0 as? EngineError)?.code == .invalidDefinition
        }
        #expect(try await h.stateMachines.delete("hello", on: h.connection))
        #expect(try await h.stateMachines.describe("hello", on: h.connection) == nil)
        #expect(try await h.stateMachines.delete("hello", on: h.connection) == false)
    }

    @Test func startExecutionIsIdempotentByName() async throws {
        let h = try await EngineHarness.make(suite: "EngineIdempotentStart")
        defer { Task { await h.connection.close() } }
        try await h.createMachine("m", Self.pass)
        let first = try await h.executions.start(stateMachine: "m", input: ["a": 1], name: "run-1", on: h.connection)
        #expect(first.arn == "arn:aws:states:us-east-1:123456789012:execution:m:run-1")
        let second = try await h.executions.start(
            stateMachine: "arn:aws:states:us-east-1:123456789012:stateMachine:m", input: ["a": 1], name: "run-1", on: h.connection)
        #expect(second.id == first.id)
        await #expect { try await h.executions.start(stateMachine: "m", input: ["a": 2], name: "run-1", on: h.connection) } throws: {
            ($0 as? EngineError)?.code == .executionAlreadyExists
        }
        // One execution, one start request in the inbox.
        #expect(try await h.count("SELECT count(*) FROM baton.executions") == 1)
        #expect(try await h.count("SELECT count(*) FROM baton.inbox WHERE kind = 'execution_started'") == 1)
        await #expect { try await h.executions.start(stateMachine: "nope", on: h.connection) } throws: {
            ($0 as? EngineError)?.code == .stateMachineDoesNotExist
        }
        await #expect { try await h.executions.start(stateMachine: "m", name: "bad name", on: h.connection) } throws: {
            ($0 as? EngineError)?.code == .invalidName
        }
    }

    /// An EXPRESS state machine's execution has AWS's express ARN, which `$$.Execution.Id` shows too; starting it
    /// again by name finds the first one, though each start makes a new ARN.
    @Test func expressExecutionsHaveExpressArns() async throws {
        let h = try await EngineHarness.make(suite: "EngineExpressArns")
        defer { Task { await h.connection.close() } }
        try await h.stateMachines.create(
            name: "fast", definition: try JSON(parsing: #"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id"},"End":true}}}"#),
            type: "EXPRESS", on: h.connection)
        let first = try await h.executions.start(stateMachine: "fast", name: "quick", on: h.connection)
        let prefix = "arn:aws:states:us-east-1:123456789012:express:fast:quick:"
        #expect(first.arn.hasPrefix(prefix) && UUID(uuidString: String(first.arn.dropFirst(prefix.count))) != nil, "\(first.arn)")
        #expect(try await h.executions.start(stateMachine: "fast", name: "quick", on: h.connection).arn == first.arn)
        let coordinator = h.startCoordinator()
        #expect(try await h.waitForEnd(first.arn).output == #"{"id":"\#(first.arn)"}"#)
        await stop(coordinator)
    }
}
