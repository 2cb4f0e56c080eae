// Published versions and aliases through BatonEngine's StateMachineVersionStore.
import BatonEngine
import Foundation

extension EngineBackend {
    var versionStore: StateMachineVersionStore { StateMachineVersionStore(configuration: configuration) }

    static func record(_ version: PublishedVersion) -> VersionRecord {
        VersionRecord(
            number: version.number, arn: version.arn, description: version.description, creationDate: version.creationDate,
            revisionId: version.revisionId.uuidString.lowercased(), definition: version.definition, roleArn: version.roleArn)
    }

    static func record(_ alias: StateMachineAlias) -> AliasRecord {
        AliasRecord(
            name: alias.name, arn: alias.arn, description: alias.description,
            routes: alias.routes.map { ($0.version, $0.weight) }, creationDate: alias.creationDate, updateDate: alias.updateDate)
    }

    public func publishVersion(stateMachine: String, revisionId: String?, description: String?) async throws -> VersionRecord {
        let store = versionStore
        let revision = try revisionId.map { text throws(APIError) in
            guard let uuid = UUID(uuidString: text) else { throw APIError.validation("revisionId: '\(text)' is not a revision id") }
            return uuid
        }
        return try await run("PublishStateMachineVersion") { connection in
            Self.record(try await store.publish(stateMachine, revisionId: revision, description: description, on: connection))
        }
    }

    public func listVersions(stateMachine: String) async throws -> [VersionRecord]? {
        let store = versionStore
        return try await run("ListStateMachineVersions") { connection in
            try await store.versions(stateMachine, on: connection)?.map(Self.record)
        }
    }

    public func describeVersion(stateMachine: String, number: Int) async throws -> VersionRecord? {
        let store = versionStore
        return try await run("DescribeStateMachine") { connection in
            try await store.version(stateMachine, number: number, on: connection).map(Self.record)
        }
    }

    public func deleteVersion(stateMachine: String, number: Int) async throws {
        let store = versionStore
        try await run("DeleteStateMachineVersion") { connection in
            try await store.deleteVersion(stateMachine, number: number, on: connection)
        }
    }

    public func createAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)])
        async throws -> AliasRecord
    {
        let store = versionStore
        let routes = routes.map { AliasRoute(version: $0.version, weight: $0.weight) }
        return try await run("CreateStateMachineAlias") { connection in
            Self.record(try await store.createAlias(stateMachine, name: name, description: description, routes: routes, on: connection))
        }
    }

    public func describeAlias(stateMachine: String, name: String) async throws -> AliasRecord? {
        let store = versionStore
        return try await run("DescribeStateMachineAlias") { connection in
            try await store.alias(stateMachine, name: name, on: connection).map(Self.record)
        }
    }

    public func listAliases(stateMachine: String) async throws -> [AliasRecord]? {
        let store = versionStore
        return try await run("ListStateMachineAliases") { connection in
            try await store.aliases(stateMachine, on: connection)?.map(Self.record)
        }
    }

    public func updateAlias(stateMachine: String, name: String, description: String?, routes: [(version: Int, weight: Int)]?)
        async throws -> AliasRecord?
    {
        let store = versionStore
        let routes = routes?.map { AliasRoute(version: $0.version, weight: $0.weight) }
        return try await run("UpdateStateMachineAlias") { connection in
            try await store.updateAlias(stateMachine, name: name, description: description, routes: routes, on: connection)
                .map(Self.record)
        }
    }

    public func deleteAlias(stateMachine: String, name: String) async throws {
        let store = versionStore
        try await run("DeleteStateMachineAlias") { connection in
            try await store.deleteAlias(stateMachine, name: name, on: connection)
        }
    }
}
