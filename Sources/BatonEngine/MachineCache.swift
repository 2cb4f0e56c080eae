// Parsed state machines by version id. A version row never changes (a trigger forbids it), so a parsed
// `StateMachine` can be kept for the life of the process; the coordinator parses each definition once.
import ASLCore
import BatonJSON
import BatonPostgres
import Foundation

/// A process-wide cache of parsed state machine versions.
final class MachineCache: @unchecked Sendable {
    private let lock = NSLock()
    private var machines: [Int64: StateMachine] = [:]

    /// The parsed version `versionId`, read from the database on first use.
    func machine(versionId: Int64, on connection: PostgresConnection) async throws -> StateMachine {
        if let cached = lock.withLock({ machines[versionId] }) { return cached }
        let rows = try await connection.query(
            "SELECT definition FROM baton.state_machine_versions WHERE id = $1", [versionId],
            statementName: "baton_engine_version_definition")
        guard let text = try rows.first?.decode(0, as: String.self) else {
            throw EngineError(.stateMachineDoesNotExist, "state machine version \(versionId) does not exist")
        }
        let machine = try StateMachine(definition: try JSON(parsing: text))
        lock.withLock { machines[versionId] = machine }
        return machine
    }
}
