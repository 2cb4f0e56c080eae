// Published versions and aliases (migration 0009). A published version is a revision of the definition given
// a number (1, 2, 3, … per state machine, never reused); an alias names one version, or two with weights. Their
// ARNs are the state machine's with `:NUMBER` or `:ALIAS`; starting an execution with one runs that version
// (ExecutionStore.start resolves it here, in its own transaction). Every write locks the state machine row
// first, so publishing, deleting and re-routing the same state machine happen one after another.
import BatonJSON
import BatonPostgres
import Foundation

/// A published version of a state machine.
public struct PublishedVersion: Sendable, Hashable {
    /// The version number.
    public var number: Int
    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:NUMBER`.
    public var arn: String
    /// The description given when it was published.
    public var description: String?
    /// When it was published.
    public var creationDate: Date
    /// The revision it publishes.
    public var revisionId: UUID
    /// Its definition's JSON text.
    public var definition: String
    /// Its role ARN, if one was given.
    public var roleArn: String?
    /// The revision row (`baton.state_machine_versions.id`) executions of it run.
    public var versionId: Int64
}

/// Where an alias sends executions: a published version and the percentage of starts it gets.
public struct AliasRoute: Sendable, Hashable {
    /// The version number.
    public var version: Int
    /// The percentage (0–100) of the alias's executions that run it.
    public var weight: Int

    /// A route with these values.
    public init(version: Int, weight: Int) {
        self.version = version
        self.weight = weight
    }
}

/// A state machine alias.
public struct StateMachineAlias: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:ALIAS`.
    public var arn: String
    /// Its description.
    public var description: String?
    /// One or two routes whose weights add up to 100.
    public var routes: [AliasRoute]
    /// When it was created.
    public var creationDate: Date
    /// When it was last updated.
    public var updateDate: Date
}

/// What a version or alias ARN starts: the revision to run and how the execution records it.
struct ResolvedQualifier: Sendable {
    var versionId: Int64
    var versionNumber: Int
    var alias: String?
}

/// Publishes, lists and deletes versions; creates, routes and deletes aliases.
public struct StateMachineVersionStore: Sendable {
    /// ARNs.
    public var configuration: EngineConfiguration

    /// A store using `configuration` for ARNs.
    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
    }

    // MARK: versions

    /// Publishes the state machine's current revision as the next version number, or returns the version that
    /// already publishes it. With `revisionId`, the current revision must be that one (`ConflictException`).
    public func publish(_ machine: String, revisionId: UUID? = nil, description: String? = nil,
                        on connection: PostgresConnection) async throws -> PublishedVersion {
        do {
            return try await connection.transaction { connection in
                let rows = try await connection.query(
                    """
                    SELECT m.id, m.current_version_id, v.revision_id FROM baton.state_machines m
                    JOIN baton.state_machine_versions v ON v.id = m.current_version_id
                    WHERE m.name = $1 AND m.status = 'ACTIVE' FOR UPDATE OF m
                    """, [machine])
                guard let row = rows.first else { throw Self.noMachine(machine) }
                let (id, current) = (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self))
                if let revisionId, try row.decode(2, as: UUID.self) != revisionId {
                    throw EngineError(.conflict, "Failed to publish the State Machine version: the current revision of \(machine) is not \(revisionId.uuidString.lowercased())")
                }
                try await connection.execute(
                    """
                    WITH next AS (
                        UPDATE baton.state_machines SET last_version_number = last_version_number + 1
                        WHERE id = $1 AND NOT EXISTS (
                            SELECT 1 FROM baton.state_machine_published_versions WHERE state_machine_version_id = $2)
                        RETURNING last_version_number
                    )
                    INSERT INTO baton.state_machine_published_versions (state_machine_id, version_number, state_machine_version_id, description)
                    SELECT $1, last_version_number, $2, $3 FROM next
                    """, [id, current, description])
                let published = try await publishedVersions(machine, revision: current, on: connection)
                guard let version = published.first else { throw Self.noMachine(machine) }
                return version
            }
        } catch {
            throw EngineError.database("publish-state-machine-version \(machine)", error)
        }
    }

    /// The state machine's published versions, newest first; nil when there is no such state machine.
    public func versions(_ machine: String, on connection: PostgresConnection) async throws -> [PublishedVersion]? {
        let exists = try await connection.query("SELECT 1 FROM baton.state_machines WHERE name = $1", [machine])
        guard !exists.isEmpty else { return nil }
        return try await publishedVersions(machine, on: connection)
    }

    /// Version `number` of the state machine, or nil.
    public func version(_ machine: String, number: Int, on connection: PostgresConnection) async throws -> PublishedVersion? {
        try await publishedVersions(machine, number: number, on: connection).first
    }

    /// Deletes version `number` (nothing when there is none); `ConflictException` while an alias routes to it.
    public func deleteVersion(_ machine: String, number: Int, on connection: PostgresConnection) async throws {
        do {
            try await connection.transaction { connection in
                guard let id = try await lock(machine, on: connection) else { return }
                let routed = try await connection.query(
                    """
                    SELECT a.name FROM baton.state_machine_aliases a, jsonb_array_elements(a.routing) r
                    WHERE a.state_machine_id = $1 AND (r ->> 'version')::int = $2 ORDER BY a.name
                    """, [id, number])
                if let alias = try routed.first?.decode(0, as: String.self) {
                    throw EngineError(.conflict, "Version \(number) of \(machine) is referenced by the alias \(alias); route the alias elsewhere or delete it first")
                }
                try await connection.execute(
                    "DELETE FROM baton.state_machine_published_versions WHERE state_machine_id = $1 AND version_number = $2",
                    [id, number])
            }
        } catch {
            throw EngineError.database("delete-state-machine-version \(machine):\(number)", error)
        }
    }

    // MARK: aliases

    /// Creates alias `name`, or returns it when it exists with the same description and routes
    /// (`ConflictException` when it exists with others).
    public func createAlias(_ machine: String, name: String, description: String?, routes: [AliasRoute],
                            on connection: PostgresConnection) async throws -> StateMachineAlias {
        do {
            return try await connection.transaction { connection in
                guard let id = try await lock(machine, on: connection) else { throw Self.noMachine(machine) }
                try await checkRoutes(routes, of: id, machine: machine, on: connection)
                if let existing = try await alias(machine, name: name, on: connection) {
                    guard existing.routes == routes, existing.description == description else {
                        throw EngineError(.conflict, "An alias named \(name) already exists for \(machine) with a different configuration")
                    }
                    return existing
                }
                try await connection.execute(
                    "INSERT INTO baton.state_machine_aliases (state_machine_id, name, description, routing) VALUES ($1, $2, $3, $4::jsonb)",
                    [id, name, description, Self.routing(routes)])
                guard let created = try await alias(machine, name: name, on: connection) else { throw Self.noMachine(machine) }
                return created
            }
        } catch {
            throw EngineError.database("create-state-machine-alias \(machine):\(name)", error)
        }
    }

    /// Changes an alias's description and routes (each when given); nil when there is no such alias.
    public func updateAlias(_ machine: String, name: String, description: String?, routes: [AliasRoute]?,
                            on connection: PostgresConnection) async throws -> StateMachineAlias? {
        do {
            return try await connection.transaction { connection in
                guard let id = try await lock(machine, on: connection) else { return nil }
                if let routes { try await checkRoutes(routes, of: id, machine: machine, on: connection) }
                let rows = try await connection.query(
                    """
                    UPDATE baton.state_machine_aliases
                    SET description = coalesce($3, description), routing = coalesce($4::jsonb, routing), updated_at = now()
                    WHERE state_machine_id = $1 AND name = $2 RETURNING id
                    """, [id, name, description, routes.map(Self.routing)])
                guard !rows.isEmpty else { return nil }
                return try await alias(machine, name: name, on: connection)
            }
        } catch {
            throw EngineError.database("update-state-machine-alias \(machine):\(name)", error)
        }
    }

    /// Alias `name` of the state machine, or nil.
    public func alias(_ machine: String, name: String, on connection: PostgresConnection) async throws -> StateMachineAlias? {
        try await storedAliases(machine, named: name, on: connection).first
    }

    /// The state machine's aliases by name; nil when there is no such state machine.
    public func aliases(_ machine: String, on connection: PostgresConnection) async throws -> [StateMachineAlias]? {
        let exists = try await connection.query("SELECT 1 FROM baton.state_machines WHERE name = $1", [machine])
        guard !exists.isEmpty else { return nil }
        return try await storedAliases(machine, named: nil, on: connection)
    }

    /// Deletes alias `name` (nothing when there is none).
    public func deleteAlias(_ machine: String, name: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            DELETE FROM baton.state_machine_aliases
            WHERE name = $2 AND state_machine_id = (SELECT id FROM baton.state_machines WHERE name = $1)
            """, [machine, name])
    }

    // MARK: starting

    /// The revision a start with `qualifier` (a version number or an alias name) runs: for an alias, one of its
    /// versions chosen by weight (`pick` is a number in 0..<100).
    func resolve(_ machine: String, qualifier: String, pick: Int, on connection: PostgresConnection) async throws -> ResolvedQualifier {
        if let number = Int(qualifier) {
            guard let version = try await version(machine, number: number, on: connection) else {
                throw EngineError(.stateMachineDoesNotExist, "State Machine Does Not Exist: '\(configuration.stateMachineArn(name: machine)):\(qualifier)'")
            }
            return ResolvedQualifier(versionId: version.versionId, versionNumber: number, alias: nil)
        }
        guard let alias = try await alias(machine, name: qualifier, on: connection) else {
            throw EngineError(.stateMachineDoesNotExist, "State Machine Does Not Exist: '\(configuration.stateMachineArn(name: machine)):\(qualifier)'")
        }
        guard var chosen = alias.routes.last else {
            throw EngineError(.stateMachineDoesNotExist, "The alias \(qualifier) of \(machine) routes nowhere")
        }
        var threshold = 0
        for route in alias.routes {
            threshold += route.weight
            if pick < threshold { chosen = route; break }
        }
        guard let version = try await version(machine, number: chosen.version, on: connection) else {
            throw EngineError(.stateMachineDoesNotExist, "Version \(chosen.version) of \(machine), which the alias \(qualifier) routes to, does not exist")
        }
        return ResolvedQualifier(versionId: version.versionId, versionNumber: chosen.version, alias: qualifier)
    }

    // MARK: helpers

    private static func noMachine(_ machine: String) -> EngineError {
        EngineError(.stateMachineDoesNotExist, "no state machine named \(machine)")
    }

    /// Locks the ACTIVE state machine's row; its id, or nil.
    private func lock(_ machine: String, on connection: PostgresConnection) async throws -> Int64? {
        try await connection.query(
            "SELECT id FROM baton.state_machines WHERE name = $1 AND status = 'ACTIVE' FOR UPDATE", [machine]
        ).first?.decode(0, as: Int64.self)
    }

    /// One or two routes to distinct published versions, weights 0–100 adding up to 100.
    private func checkRoutes(_ routes: [AliasRoute], of id: Int64, machine: String, on connection: PostgresConnection) async throws {
        guard (1...2).contains(routes.count) else {
            throw EngineError(.validation, "routingConfiguration must have one or two entries, not \(routes.count)")
        }
        guard Set(routes.map(\.version)).count == routes.count else {
            throw EngineError(.validation, "routingConfiguration names version \(routes[0].version) twice")
        }
        guard routes.allSatisfy({ (0...100).contains($0.weight) }), routes.map(\.weight).reduce(0, +) == 100 else {
            throw EngineError(.validation, "the weights of routingConfiguration must each be 0–100 and add up to 100, not \(routes.map(\.weight))")
        }
        for route in routes {
            let found = try await connection.query(
                "SELECT 1 FROM baton.state_machine_published_versions WHERE state_machine_id = $1 AND version_number = $2",
                [id, route.version])
            if found.isEmpty {
                throw EngineError(.resourceNotFound, "Version \(route.version) of \(machine) does not exist: '\(configuration.stateMachineArn(name: machine)):\(route.version)'")
            }
        }
    }

    private static func routing(_ routes: [AliasRoute]) -> JSON {
        .array(routes.map { ["version": .int($0.version), "weight": .int($0.weight)] })
    }

    /// The state machine's versions, newest first: all, or the one numbered `number`, or the one publishing
    /// the revision row `revision`.
    private func publishedVersions(_ machine: String, number: Int? = nil, revision: Int64? = nil,
                          on connection: PostgresConnection) async throws -> [PublishedVersion] {
        let rows = try await connection.query(
            """
            SELECT p.version_number, p.description, p.created_at, v.revision_id, v.definition, v.role_arn, v.id
            FROM baton.state_machine_published_versions p
            JOIN baton.state_machines m ON m.id = p.state_machine_id
            JOIN baton.state_machine_versions v ON v.id = p.state_machine_version_id
            WHERE m.name = $1 AND ($2::int IS NULL OR p.version_number = $2)
              AND ($3::bigint IS NULL OR p.state_machine_version_id = $3)
            ORDER BY p.version_number DESC
            """, [machine, number, revision], statementName: "baton_engine_published_versions")
        let base = configuration.stateMachineArn(name: machine)
        return try rows.map { row in
            let number = try row.decode(0, as: Int.self)
            return PublishedVersion(
                number: number, arn: "\(base):\(number)", description: try row.decode(1), creationDate: try row.decode(2),
                revisionId: try row.decode(3), definition: try row.decode(4), roleArn: try row.decode(5), versionId: try row.decode(6))
        }
    }

    /// The state machine's aliases by name: all, or the one named `name`.
    private func storedAliases(_ machine: String, named name: String?, on connection: PostgresConnection) async throws -> [StateMachineAlias] {
        let rows = try await connection.query(
            """
            SELECT a.name, a.description, a.routing, a.created_at, a.updated_at
            FROM baton.state_machine_aliases a JOIN baton.state_machines m ON m.id = a.state_machine_id
            WHERE m.name = $1 AND ($2::text IS NULL OR a.name = $2)
            ORDER BY a.name
            """, [machine, name], statementName: "baton_engine_state_machine_aliases")
        let base = configuration.stateMachineArn(name: machine)
        return try rows.map { row in
            let name = try row.decode(0, as: String.self)
            let routing = try row.decode(2, as: JSON.self)
            let routes = (routing.arrayValue ?? []).map {
                AliasRoute(version: $0["version"]?.intValue ?? 0, weight: $0["weight"]?.intValue ?? 0)
            }
            return StateMachineAlias(
                name: name, arn: "\(base):\(name)", description: try row.decode(1), routes: routes,
                creationDate: try row.decode(3), updateDate: try row.decode(4))
        }
    }
}
