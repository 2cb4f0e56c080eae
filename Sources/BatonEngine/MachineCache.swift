// Parsed state machines by version id. A version row never changes (a trigger forbids it), so a parsed
// `StateMachine` can be kept for the life of the process; the coordinator parses each definition once. With it,
// whether the definition can make task tokens at all: only then does a step need a secure-random nonce.
import ASLCore
import BatonJSON
import BatonPostgres
import Foundation

/// A parsed state machine version.
struct CachedMachine: Sendable {
    /// The machine.
    var machine: StateMachine
    /// Whether any Task of it may wait for a task token (its definition mentions `.waitForTaskToken`): runs of
    /// a machine without one never make a token, so they need no nonce (`CallbackToken.makeNonce`).
    var makesTaskTokens: Bool
}

/// A process-wide cache of parsed state machine versions.
final class MachineCache: @unchecked Sendable {
    private let lock = NSLock()
    private var machines: [Int64: CachedMachine] = [:]

    /// The parsed version `versionId`, read from the database on first use.
    func machine(versionId: Int64, on connection: PostgresConnection) async throws -> CachedMachine {
        if let cached = lock.withLock({ machines[versionId] }) { return cached }
        let rows = try await connection.query(
            "SELECT definition FROM baton.state_machine_versions WHERE id = $1", [versionId],
            statementName: "baton_engine_version_definition")
        guard let text = try rows.first?.decode(0, as: String.self) else {
            throw EngineError(.stateMachineDoesNotExist, "state machine version \(versionId) does not exist")
        }
        let definition = try JSON(parsing: text)
        // Checked on the definition written back out: escapes in the stored text cannot hide a resource.
        let machine = CachedMachine(machine: try StateMachine(definition: definition),
                                    makesTaskTokens: definition.serialized().contains(".waitForTaskToken"))
        lock.withLock { machines[versionId] = machine }
        return machine
    }
}
