// Published versions and aliases (StateMachineVersionStore): numbering, starting an execution with a version or
// alias ARN (it runs that version's definition and remembers which), routing by weight, and the conflicts AWS
// reports.
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite(.serialized) struct VersionTests {
    static func definition(_ result: String) -> JSON {
        try! JSON(parsing: #"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"\#(result)","End":true}}}"#)
    }

    @Test func versionsAndAliasesRunTheDefinitionTheyName() async throws {
        let h = try await EngineHarness.make(suite: "EngineVersions")
        defer { Task { await h.connection.close() } }
        let store = StateMachineVersionStore(configuration: h.engine)
        let machine = try await h.stateMachines.create(name: "versioned", definition: Self.definition("one"), on: h.connection)
        let base = machine.arn

        // Publishing the same revision twice gives the same version; a new revision gets the next number.
        let v1 = try await store.publish("versioned", description: "first", on: h.connection)
        #expect(v1.number == 1 && v1.arn == "\(base):1" && v1.description == "first")
        #expect(try await store.publish("versioned", on: h.connection).number == 1)
        try await h.stateMachines.update("versioned", definition: Self.definition("two"), on: h.connection)
        await #expect(throws: EngineError.self) {
            try await store.publish("versioned", revisionId: machine.revisionId, on: h.connection)  // no longer current
        }
        let v2 = try await store.publish("versioned", on: h.connection)
        #expect(v2.number == 2)
        #expect(try await store.versions("versioned", on: h.connection)?.map(\.number) == [2, 1])
        try await h.stateMachines.update("versioned", definition: Self.definition("three"), on: h.connection)

        // An alias that sends every start to version 1 (weight 0 for version 2).
        let alias = try await store.createAlias(
            "versioned", name: "live", description: nil,
            routes: [AliasRoute(version: 2, weight: 0), AliasRoute(version: 1, weight: 100)], on: h.connection)
        #expect(alias.arn == "\(base):live")
        await #expect(throws: EngineError.self) {  // same name, other routes
            try await store.createAlias("versioned", name: "live", description: nil,
                                        routes: [AliasRoute(version: 2, weight: 100)], on: h.connection)
        }
        await #expect(throws: EngineError.self) {  // weights must add up to 100
            try await store.createAlias("versioned", name: "bad", description: nil,
                                        routes: [AliasRoute(version: 2, weight: 60)], on: h.connection)
        }

        let coordinator = h.startCoordinator()
        let latest = try await h.executions.start(stateMachine: base, name: "latest", on: h.connection)
        let byVersion = try await h.executions.start(stateMachine: "\(base):2", name: "by-version", on: h.connection)
        let byAlias = try await h.executions.start(stateMachine: "\(base):live", name: "by-alias", on: h.connection)
        #expect(try await h.waitForEnd(latest.arn).output == #""three""#)
        let versionRun = try await h.waitForEnd(byVersion.arn)
        #expect(versionRun.output == #""two""#)
        #expect(versionRun.stateMachineVersionArn == "\(base):2" && versionRun.stateMachineAliasArn == nil)
        let aliasRun = try await h.waitForEnd(byAlias.arn)
        #expect(aliasRun.output == #""one""#)
        #expect(aliasRun.stateMachineVersionArn == "\(base):1" && aliasRun.stateMachineAliasArn == "\(base):live")
        #expect(aliasRun.arn.hasSuffix(":execution:versioned:by-alias"))

        // What the operator CLI reads through the stores: a version ARN describes that version and lists the
        // executions started with it, an alias ARN lists its own; neither is taken for the state machine itself.
        let described = try await h.stateMachines.describe("\(base):2", on: h.connection)
        #expect(described?.arn == "\(base):2" && described?.versionNumber == 2 && described?.definition.contains("two") == true)
        #expect(try await h.stateMachines.describe("\(base):9", on: h.connection) == nil)
        await #expect(throws: EngineError.self) { try await h.stateMachines.describe("\(base):live", on: h.connection) }
        #expect(try await h.executions.list(stateMachine: "\(base):2", on: h.connection).map(\.name) == ["by-version"])
        #expect(try await h.executions.list(stateMachine: "\(base):live", on: h.connection).map(\.name) == ["by-alias"])
        #expect(Set(try await h.executions.list(stateMachine: base, on: h.connection).map(\.name)) == ["latest", "by-version", "by-alias"])
        await #expect(throws: EngineError.self) {
            try await h.stateMachines.update("\(base):2", definition: Self.definition("four"), on: h.connection)
        }
        await #expect(throws: EngineError.self) { try await h.stateMachines.delete("\(base):live", on: h.connection) }
        #expect(try await h.stateMachines.describe(base, on: h.connection)?.definition.contains("three") == true)

        // A version an alias routes to cannot be deleted; once re-routed it can, and its number is not reused.
        await #expect(throws: EngineError.self) { try await store.deleteVersion("versioned", number: 1, on: h.connection) }
        let rerouted = try await store.updateAlias("versioned", name: "live", description: "now two",
                                                   routes: [AliasRoute(version: 2, weight: 100)], on: h.connection)
        #expect(rerouted?.routes == [AliasRoute(version: 2, weight: 100)] && rerouted?.description == "now two")
        try await store.deleteVersion("versioned", number: 1, on: h.connection)
        await #expect(throws: EngineError.self) {
            try await h.executions.start(stateMachine: "\(base):1", on: h.connection)
        }
        #expect(try await store.publish("versioned", on: h.connection).number == 3)
        try await store.deleteAlias("versioned", name: "live", on: h.connection)
        #expect(try await store.aliases("versioned", on: h.connection)?.isEmpty == true)
        await #expect(throws: EngineError.self) {
            try await h.executions.start(stateMachine: "\(base):live", on: h.connection)
        }
        await stop(coordinator)
    }
}
