// RedriveExecution's request side: the rules AWS applies before accepting a redrive, then, in one transaction,
// PENDING_REDRIVE, a `redrive_requested` inbox row and a NOTIFY. A coordinator applies it
// (ExecutionStep+Redrive): RUNNING again, redrive_count + 1, the failed runs restarted. A `clientToken` makes
// the request idempotent as AWS documents it: a repeat with one of the last 10 tokens that redrove the execution,
// within 15 minutes of its first use, answers with that redrive's date and changes nothing (checked first, under
// the execution row lock, so two identical requests at once redrive once).
import ASLCore
import BatonPostgres
import BatonQueue
import Foundation

extension ExecutionStore {
    /// How long after it stopped an execution can be redriven (AWS: 14 days).
    public static let redrivablePeriod: TimeInterval = 14 * 86_400
    /// How many times an execution can be redriven (AWS: 1,000).
    public static let maxRedrives = 1000
    /// History events an execution may have and still be redriven (AWS: 25,000 in all).
    public static let maxRedriveHistory = 24_999
    /// How long a client token keeps answering with its redrive (AWS: 15 minutes).
    public static let clientTokenLifetime: TimeInterval = 15 * 60
    /// How many of an execution's latest client tokens are remembered (AWS: 10).
    public static let clientTokensKept = 10

    /// Why the execution cannot be redriven now, or nil when it can (AWS's `redriveStatusReason` texts).
    public static func notRedrivableReason(status: String, stopDate: Date?, redriveCount: Int, now: Date = Date()) -> String? {
        switch status {
        case "FAILED", "TIMED_OUT", "ABORTED": break
        case "PENDING_REDRIVE": return "Execution is PENDING_REDRIVE and cannot be redriven."
        default: return "Execution is \(status) and cannot be redriven."
        }
        if let stopDate, now.timeIntervalSince(stopDate) > redrivablePeriod { return "Execution redrivable period exceeded." }
        if redriveCount >= maxRedrives { return "Execution has been redriven \(maxRedrives) times." }
        return nil
    }

    /// Asks the coordinators to redrive a FAILED, TIMED_OUT or ABORTED execution of a STANDARD state machine;
    /// returns the redrive date. `ExecutionNotRedrivable` says why not otherwise. A repeat carrying the
    /// `clientToken` of one of the execution's last 10 redrives, within 15 minutes, returns that redrive's date and
    /// redrives nothing.
    public func redrive(_ arn: String, clientToken: String? = nil, on connection: PostgresConnection) async throws -> Date {
        do {
            return try await connection.transaction { connection in
                let rows = try await connection.query(
                    """
                    SELECT e.id, e.status, e.stopped_at, e.redrive_count, e.last_event_id, m.type, m.status, now(), e.state
                    FROM baton.executions e JOIN baton.state_machines m ON m.id = e.state_machine_id
                    WHERE e.arn = $1 FOR NO KEY UPDATE OF e
                    """, [arn], statementName: "baton_engine_redrive_lock")
                guard let row = rows.first else { throw EngineError(.executionDoesNotExist, "Execution Does Not Exist: '\(arn)'") }
                let now = try row.decode(7, as: Date.self)
                let id = try row.decode(0, as: Int64.self)
                if let clientToken, let date = try await Self.redriveDate(of: clientToken, execution: id, on: connection) {
                    return date
                }
                func refuse(_ reason: String) -> EngineError { EngineError(.executionNotRedrivable, "\(reason) (\(arn))") }
                if try row.decode(5, as: String.self) == "EXPRESS" { throw refuse("Executions of EXPRESS state machines cannot be redriven.") }
                if try row.decode(6, as: String.self) != "ACTIVE" { throw refuse("State machine is in DELETING status.") }
                if let reason = Self.notRedrivableReason(
                    status: try row.decode(1), stopDate: try row.decode(2), redriveCount: try row.decode(3), now: now) {
                    throw refuse(reason)
                }
                if try row.decode(4, as: Int.self) >= Self.maxRedriveHistory { throw refuse("Execution history event limit exceeded.") }
                // An execution failed by the coordinator itself (States.Runtime: it could not be advanced) has no
                // run state that says where it ended.
                let state = try row.decode(8, as: String?.self)
                guard let run = state.flatMap({ try? RunCoding.decode(Run.self, from: $0) }), run.isRedrivable else {
                    throw refuse("Execution failed inside Baton's coordinator and cannot be redriven.")
                }
                try await connection.execute(
                    "UPDATE baton.executions SET status = 'PENDING_REDRIVE', redriven_at = now() WHERE id = $1", [id])
                if let clientToken { try await Self.remember(clientToken, execution: id, on: connection) }
                try await connection.execute("INSERT INTO baton.inbox (execution_id, kind) VALUES ($1, 'redrive_requested')", [id])
                try await connection.execute("SELECT pg_notify($1, 'redrive_requested')", [QueueChannel.inbox])
                return now
            }
        } catch {
            throw EngineError.database("redrive-execution \(arn)", error)
        }
    }

    /// The date of the redrive `clientToken` made, if it is one of the execution's last tokens and still valid.
    private static func redriveDate(of clientToken: String, execution id: Int64, on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query(
            """
            SELECT redrive_date FROM (
                SELECT client_token, redrive_date FROM baton.redrive_client_tokens
                WHERE execution_id = $1 ORDER BY redrive_date DESC LIMIT $3) AS latest
            WHERE client_token = $2 AND redrive_date > now() - make_interval(secs => $4)
            """, [id, clientToken, clientTokensKept, clientTokenLifetime], statementName: "baton_engine_redrive_token")
        return try rows.first?.decode(0, as: Date.self)
    }

    /// Records the token of an accepted redrive and forgets the execution's tokens beyond the last ten.
    private static func remember(_ clientToken: String, execution id: Int64, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO baton.redrive_client_tokens (execution_id, client_token, redrive_date) VALUES ($1, $2, now())
            ON CONFLICT (execution_id, client_token) DO UPDATE SET redrive_date = excluded.redrive_date
            """, [id, clientToken], statementName: "baton_engine_redrive_remember_token")
        try await connection.execute(
            """
            DELETE FROM baton.redrive_client_tokens WHERE execution_id = $1 AND client_token NOT IN (
                SELECT client_token FROM baton.redrive_client_tokens WHERE execution_id = $1
                ORDER BY redrive_date DESC LIMIT $2)
            """, [id, clientTokensKept], statementName: "baton_engine_redrive_forget_tokens")
    }
}
