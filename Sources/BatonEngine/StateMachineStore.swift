// baton.state_machines and baton.state_machine_versions: create, update, describe, list, delete.
//
// A definition is validated (DefinitionValidator, then the typed StateMachine tree the coordinator will
// build) before anything is written, so a stored version always runs. Every create or update adds an
// immutable version row; executions point at the version they started with, so an update never changes a
// running execution. The definition is stored as its exact JSON text (key order kept) and as jsonb for queries.
import ASLCore
import ASLDocument
import BatonJSON
import BatonPostgres
import Foundation

/// A state machine as `describe-state-machine` reports it.
public struct StateMachineDescription: Sendable, Hashable {
    /// Internal id.
    public var id: Int64
    /// Its name.
    public var name: String
    /// Its ARN.
    public var arn: String
    /// `STANDARD` or `EXPRESS`.
    public var type: String
    /// `ACTIVE` or `DELETING`.
    public var status: String
    /// The current definition's JSON text.
    public var definition: String
    /// The current version's id (`baton.state_machine_versions.id`).
    public var versionId: Int64
    /// The current version number (1, 2, …).
    public var versionNumber: Int
    /// The current version's revision id.
    public var revisionId: UUID
    /// The role ARN, if one was given.
    public var roleArn: String?
    /// When it was created.
    public var creationDate: Date
    /// When it was last updated.
    public var updateDate: Date

    /// AWS's DescribeStateMachine JSON.
    public func awsJSON() -> JSON {
        var object: JSONObject = [
            "stateMachineArn": .string(arn), "name": .string(name), "status": .string(status),
            "definition": .string(definition),
        ]
        if let roleArn { object["roleArn"] = .string(roleArn) }
        object["type"] = .string(type)
        object["creationDate"] = .string(ASLTime.format(creationDate))
        object["revisionId"] = .string(revisionId.uuidString.lowercased())
        return .object(object)
    }
}

/// Reads and writes state machines and their versions.
public struct StateMachineStore: Sendable {
    /// ARNs and limits.
    public var configuration: EngineConfiguration

    /// A store using `configuration` for ARNs.
    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
    }

    /// Checks a definition the way `create`/`update` do; throws `invalidDefinition` with every problem.
    public static func validate(_ definition: JSON) throws(EngineError) -> StateMachine {
        let errors = DefinitionValidator.validate(definition).filter { $0.severity == .error }
        if !errors.isEmpty {
            let summary = errors.prefix(3).map(\.description).joined(separator: "; ")
            throw EngineError(.invalidDefinition, "the definition is not valid: \(summary)\(errors.count > 3 ? " (and \(errors.count - 3) more)" : "")",
                              diagnostics: errors)
        }
        do {
            return try StateMachine(definition: definition)
        } catch {
            throw EngineError(.invalidDefinition, "the definition is not valid: \(error)")
        }
    }

    /// Creates state machine `name` with `definition`. Creating it again with the same definition and role
    /// returns the existing one (as AWS does); a different definition is `StateMachineAlreadyExists`.
    @discardableResult
    public func create(name: String, definition: JSON, roleArn: String? = nil, type: String = "STANDARD",
                       on connection: PostgresConnection) async throws -> StateMachineDescription {
        try AWSName.check(name, what: "state machine")
        _ = try Self.validate(definition)
        let text = definition.serialized()
        let arn = configuration.stateMachineArn(name: name)
        do {
            return try await connection.transaction { connection in
                let inserted = try await connection.query(
                    """
                    -- ON CONFLICT DO NOTHING: a concurrent create of the same name waits for ours and then
                    -- finds it below, instead of failing with a unique violation. No conflict target: the ARN
                    -- (made from the name) is unique too, and with `(name)` alone a create racing ours could
                    -- meet our ARN first and fail on it (CI saw it).
                    INSERT INTO baton.state_machines (name, arn, type) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [name, arn, type])
                guard let id = try inserted.first?.decode(0, as: Int64.self) else {
                    guard let existing = try await describe(name, on: connection) else {
                        throw EngineError(.stateMachineAlreadyExists, "a state machine named \(name) is being created concurrently")
                    }
                    let same = (try? JSON(parsing: existing.definition)) == definition && existing.roleArn == roleArn
                        && existing.status == "ACTIVE"
                    guard same else {
                        throw EngineError(.stateMachineAlreadyExists,
                                          "a state machine named \(name) already exists with a different definition (\(existing.arn)); use update-state-machine")
                    }
                    return existing
                }
                try await addVersion(stateMachineId: id, text: text, definition: definition, roleArn: roleArn, on: connection)
                guard let created = try await describe(name, on: connection) else {
                    throw EngineError(.stateMachineDoesNotExist, "state machine \(name) vanished while being created")
                }
                return created
            }
        } catch {
            throw EngineError.database("create-state-machine \(name)", error)
        }
    }

    /// Adds a version with `definition` (and `roleArn`, when given; else the current one) and makes it current.
    @discardableResult
    public func update(_ reference: String, definition: JSON, roleArn: String? = nil,
                       on connection: PostgresConnection) async throws -> StateMachineDescription {
        _ = try Self.validate(definition)
        try Self.refuseQualified(reference, command: "update-state-machine")
        let name = EngineConfiguration.stateMachineName(fromReference: reference)
        do {
            return try await connection.transaction { connection in
                let rows = try await connection.query(
                    """
                    -- FOR UPDATE: two concurrent updates number their versions one after the other. The role is
                    -- read in a subquery, not a join: after waiting for a concurrent update, READ COMMITTED
                    -- re-checks only the locked row, and a joined version row would no longer match it.
                    SELECT m.id, m.status,
                           (SELECT role_arn FROM baton.state_machine_versions v WHERE v.id = m.current_version_id)
                    FROM baton.state_machines m WHERE m.name = $1 FOR UPDATE
                    """, [name])
                guard let row = rows.first, try row.decode(1, as: String.self) == "ACTIVE" else {
                    throw EngineError(.stateMachineDoesNotExist, "no state machine named \(name)")
                }
                let id = try row.decode(0, as: Int64.self)
                let role = try roleArn ?? row.decode(2, as: String?.self)
                try await addVersion(stateMachineId: id, text: definition.serialized(), definition: definition,
                                     roleArn: role, on: connection)
                guard let updated = try await describe(name, on: connection) else {
                    throw EngineError(.stateMachineDoesNotExist, "no state machine named \(name)")
                }
                return updated
            }
        } catch {
            throw EngineError.database("update-state-machine \(reference)", error)
        }
    }

    private func addVersion(stateMachineId: Int64, text: String, definition: JSON, roleArn: String?,
                            on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH version AS (
                INSERT INTO baton.state_machine_versions
                    (state_machine_id, version_number, revision_id, definition, definition_json, role_arn)
                SELECT $1, coalesce(max(version_number), 0) + 1, gen_random_uuid(), $2, $3::jsonb, $4
                FROM baton.state_machine_versions WHERE state_machine_id = $1
                RETURNING id
            )
            UPDATE baton.state_machines SET current_version_id = version.id, updated_at = now()
            FROM version WHERE baton.state_machines.id = $1
            """, [stateMachineId, text, text, roleArn])
    }

    /// The state machine named (or with the ARN) `reference`, or nil. A version ARN (`…:NAME:3`) describes that
    /// published version, as AWS's DescribeStateMachine does (its ARN, definition, revision, role and date); an
    /// alias ARN is a `ValidationException` (an alias has DescribeStateMachineAlias).
    public func describe(_ reference: String, on connection: PostgresConnection) async throws -> StateMachineDescription? {
        let name = EngineConfiguration.stateMachineName(fromReference: reference)
        let rows = try await connection.query(Self.selectSQL + " WHERE m.name = $1", [name], statementName: "baton_engine_describe_sm")
        guard var machine = try rows.first.map(Self.description(from:)) else { return nil }
        guard let qualifier = EngineConfiguration.stateMachineQualifier(fromReference: reference) else { return machine }
        guard let number = Int(qualifier) else {
            throw EngineError(.validation, "\(reference) names an alias; describe an alias with DescribeStateMachineAlias")
        }
        guard let version = try await StateMachineVersionStore(configuration: configuration)
            .version(name, number: number, on: connection) else { return nil }
        machine.arn = version.arn
        machine.definition = version.definition
        machine.versionId = version.versionId
        machine.versionNumber = number
        machine.revisionId = version.revisionId
        machine.roleArn = version.roleArn
        machine.creationDate = version.creationDate
        machine.updateDate = version.creationDate
        return machine
    }

    /// Update and delete act on the state machine itself: a version or alias ARN is a `ValidationException`
    /// (versions and aliases have their own operations), not silently the state machine it belongs to.
    static func refuseQualified(_ reference: String, command: String) throws(EngineError) {
        guard EngineConfiguration.stateMachineQualifier(fromReference: reference) != nil else { return }
        throw EngineError(.validation, "\(reference) is a version or alias ARN; \(command) takes the state machine's own ARN or name")
    }

    /// Every state machine, by name.
    public func list(on connection: PostgresConnection) async throws -> [StateMachineDescription] {
        let rows = try await connection.query(Self.selectSQL + " ORDER BY m.name")
        return try rows.map(Self.description(from:))
    }

    /// Deletes a state machine: removed at once when it never ran, else marked `DELETING` (its executions
    /// finish; no new ones start; their history stays queryable). Returns false when it did not exist.
    @discardableResult
    public func delete(_ reference: String, on connection: PostgresConnection) async throws -> Bool {
        try Self.refuseQualified(reference, command: "delete-state-machine")
        let name = EngineConfiguration.stateMachineName(fromReference: reference)
        return try await connection.transaction { connection in
            let rows = try await connection.query(
                "UPDATE baton.state_machines SET status = 'DELETING', updated_at = now() WHERE name = $1 RETURNING id", [name])
            guard let id = try rows.first?.decode(0, as: Int64.self) else { return false }
            // Executions keep a foreign key to their state machine (their history must survive the delete),
            // so only a state machine that never ran can be removed outright.
            let used = try await connection.query("SELECT 1 FROM baton.executions WHERE state_machine_id = $1 LIMIT 1", [id])
            if used.isEmpty {
                try await connection.execute("UPDATE baton.state_machines SET current_version_id = NULL WHERE id = $1", [id])
                try await connection.execute("DELETE FROM baton.state_machines WHERE id = $1", [id])
            }
            return true
        }
    }

    static let selectSQL = """
        SELECT m.id, m.name, m.arn, m.type, m.status, v.definition, v.id AS version_id, v.version_number,
               v.revision_id, v.role_arn, m.created_at, m.updated_at
        FROM baton.state_machines m JOIN baton.state_machine_versions v ON v.id = m.current_version_id
        """

    static func description(from row: PostgresRow) throws -> StateMachineDescription {
        StateMachineDescription(
            id: try row.decode(0), name: try row.decode(1), arn: try row.decode(2), type: try row.decode(3),
            status: try row.decode(4), definition: try row.decode(5), versionId: try row.decode(6),
            versionNumber: try row.decode(7), revisionId: try row.decode(8), roleArn: try row.decode(9),
            creationDate: try row.decode(10), updateDate: try row.decode(11))
    }
}
