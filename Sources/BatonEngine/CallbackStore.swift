// baton.task_callbacks from the API side: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat with the token
// of a `.waitForTaskToken` task. Completing is one statement, like a worker's result: a fenced UPDATE (the row
// still waits, its deadlines have not passed, its execution — and Map item or Parallel branch — still runs),
// an INSERT of the `callback_finished` inbox row from its RETURNING, and the NOTIFY. So a token works once:
// a second use, a token whose wait timed out or was closed, matches no row and changes nothing.
import BatonJSON
import BatonPostgres
import BatonQueue
import Foundation

/// What happened to a callback token.
public enum CallbackResult: Sendable, Equatable {
    /// Recorded (the coordinators were woken), or the heartbeat was recorded.
    case recorded
    /// No callback has this token.
    case unknown
    /// The token's wait is over: used, timed out, closed, or its execution is no longer running.
    case closed
}

/// Completes and heartbeats `.waitForTaskToken` callbacks.
public struct CallbackStore: Sendable {
    /// A store.
    public init() {}

    /// Whether `token` has the form of a callback token (else it may be an activity token).
    public static func isCallbackToken(_ token: String) -> Bool { token.hasPrefix(CallbackToken.prefix) }

    /// Records SendTaskSuccess (`output` JSON text) or SendTaskFailure (`error`, `cause`) for `token`.
    public func complete(token: String, outcome: TaskOutcome, on connection: PostgresConnection) async throws -> CallbackResult {
        let parameters: [(any PostgresEncodable)?]
        switch outcome {
        case .succeeded(let output): parameters = [token, "succeeded", output, nil, nil]
        case .failed(let error, let cause): parameters = [token, "failed", nil, error, cause]
        }
        let rows = try await connection.query(
            """
            WITH done AS (
                UPDATE baton.task_callbacks c SET status = $2, output = $3, error = $4, cause = $5, finished_at = now()
                FROM baton.executions e
                WHERE c.token = $1 AND \(Self.open)
                RETURNING c.id, c.execution_id, c.fan_out_item_id, c.task_id
            ), queued AS (
                INSERT INTO baton.inbox (execution_id, fan_out_item_id, kind, task_id, details)
                SELECT execution_id, fan_out_item_id, 'callback_finished', task_id, jsonb_build_object('callbackId', id)
                FROM done
                RETURNING id
            )
            SELECT queued.id, pg_notify('\(QueueChannel.inbox)', 'callback_finished')::text FROM queued
            """, parameters, statementName: "baton_callback_complete")
        return rows.isEmpty ? try await why(token, on: connection) : .recorded
    }

    /// Records SendTaskHeartbeat: the heartbeat deadline moves to now + HeartbeatSeconds.
    public func heartbeat(token: String, on connection: PostgresConnection) async throws -> CallbackResult {
        let rows = try await connection.query(
            """
            UPDATE baton.task_callbacks c
            SET heartbeat_deadline_at = now() + c.heartbeat_seconds * interval '1 second'
            FROM baton.executions e
            WHERE c.token = $1 AND \(Self.open)
            RETURNING c.id
            """, [token], statementName: "baton_callback_heartbeat")
        return rows.isEmpty ? try await why(token, on: connection) : .recorded
    }

    /// The fence: waiting, within its deadlines, its execution (and item) still running.
    static let open = """
        c.status = 'waiting' AND e.id = c.execution_id AND e.status = 'RUNNING'
                  AND (c.timeout_at IS NULL OR c.timeout_at > now())
                  AND (c.heartbeat_deadline_at IS NULL OR c.heartbeat_deadline_at > now())
                  AND (c.fan_out_item_id IS NULL
                       OR EXISTS (SELECT 1 FROM baton.fan_out_items i WHERE i.id = c.fan_out_item_id AND i.status = 'running'))
        """

    private func why(_ token: String, on connection: PostgresConnection) async throws -> CallbackResult {
        let rows = try await connection.query("SELECT 1 FROM baton.task_callbacks WHERE token = $1", [token])
        return rows.isEmpty ? .unknown : .closed
    }
}
