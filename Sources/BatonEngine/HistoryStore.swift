// baton.history_events: appending the events the pure core emits, and reading an execution's history.
//
// Event ids come from the core, which numbers them from `executions.last_event_id`; the coordinator holds
// the execution row lock (FOR NO KEY UPDATE) while it applies work and writes `last_event_id` back in the
// same transaction, so ids are gap-free and ordered per execution. A coordinator batch's events, of all its
// executions, are appended with one statement (one binary array per column), whatever its size.
import ASLCore
import BatonJSON
import BatonPostgres
import Foundation

/// One stored history event, as read back.
public struct StoredHistoryEvent: Sendable, Hashable {
    /// Per-execution event number, from 1.
    public var id: Int
    /// The event it follows from.
    public var previousEventId: Int
    /// AWS event type.
    public var type: String
    /// When it happened.
    public var timestamp: Date
    /// The Map item or Parallel branch it belongs to (`baton.fan_out_items.id`), nil at the top level.
    public var fanOutItemId: Int64?
    /// The AWS details object (payloads as JSON strings), `.null` when the event has none.
    public var details: JSON

    /// The AWS details member name (`stateEnteredEventDetails`, …).
    public var detailsKey: String? {
        HistoryEvent(id: id, previousEventId: previousEventId, timestamp: timestamp, type: type,
                     details: details.isNull ? .null : .object([:])).detailsKey
    }

    /// The event as AWS's GetExecutionHistory prints it.
    public func awsJSON() -> JSON {
        var object: JSONObject = [
            "timestamp": .string(ASLTime.format(timestamp)), "type": .string(type), "id": .int(id),
            "previousEventId": .int(previousEventId),
        ]
        if let key = detailsKey, !details.isNull { object[key] = details }
        return .object(object)
    }
}

/// Appends and reads history events.
public struct HistoryStore: Sendable {
    /// A history store.
    public init() {}

    /// Appends `events` (ids already allocated by the core under the execution lock), each with the Map item
    /// or Parallel branch it belongs to.
    public func append(_ events: [(event: HistoryEvent, fanOutItemId: Int64?)], executionId: Int64,
                       on connection: PostgresConnection) async throws {
        guard let statement = appendStatement(events, executionId: executionId) else { return }
        try await connection.pipeline([statement])
    }

    /// The one statement that appends `events` (nil when there are none), to send in a pipeline.
    func appendStatement(_ events: [(event: HistoryEvent, fanOutItemId: Int64?)],
                         executionId: Int64) -> PostgresStatement? {
        appendStatement([(executionId, events)])
    }

    /// The one statement that appends the events of several executions (nil when there are none): the
    /// coordinator writes a whole batch's history with it.
    func appendStatement(
        _ executions: [(executionId: Int64, events: [(event: HistoryEvent, fanOutItemId: Int64?)])]
    ) -> PostgresStatement? {
        // One binary array per column (PostgresArray): PostgreSQL parses only each event's details into jsonb.
        let count = executions.reduce(0) { $0 + $1.events.count }
        guard count > 0 else { return nil }
        var executionIds = PostgresArray(of: .int8)
        var eventIds = PostgresArray(of: .int4)
        var previousEventIds = PostgresArray(of: .int4)
        var types = PostgresArray(of: .text)
        var times = PostgresArray(of: .timestamptz)
        var items = PostgresArray(of: .int8)
        var details = PostgresArray(of: .text)
        details.reserveCapacity(count * 160)
        var text: [UInt8] = []
        for (executionId, events) in executions {
            for (event, item) in events {
                executionIds.append(executionId)
                eventIds.append(Int32(event.id))
                previousEventIds.append(Int32(event.previousEventId))
                types.append(event.type)
                // Whole milliseconds, as AWS's timestamps (and ASLTime.format) have them.
                times.appendTimestamp(
                    millisecondsSince1970: Int64((event.timestamp.timeIntervalSince1970 * 1000).rounded(.down)))
                items.append(item)
                text.removeAll(keepingCapacity: true)
                if !event.writeAWSDetails(to: &text) { text.append(contentsOf: "{}".utf8) }
                details.appendText(text)
            }
        }
        return PostgresStatement(
            """
            INSERT INTO baton.history_events
                (execution_id, event_id, previous_event_id, type, occurred_at, fan_out_item_id, details)
            SELECT execution_id, event_id, previous_event_id, type, occurred_at, fan_out_item_id, details::jsonb
            FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::text[], $5::timestamptz[], $6::bigint[],
                        $7::text[])
                 AS b(execution_id, event_id, previous_event_id, type, occurred_at, fan_out_item_id, details)
            """, [executionIds, eventIds, previousEventIds, types, times, items, details],
            statementName: "baton_engine_append_history_batch")
    }

    /// The execution's events in order.
    public func read(executionId: Int64, on connection: PostgresConnection) async throws -> [StoredHistoryEvent] {
        let rows = try await connection.query(
            """
            SELECT event_id, previous_event_id, type, occurred_at, fan_out_item_id, details
            FROM baton.history_events WHERE execution_id = $1 ORDER BY event_id
            """, [executionId], statementName: "baton_engine_read_history")
        return try rows.map { row in
            let details = try row.decode(5, as: JSON.self)
            let empty = details.objectValue?.isEmpty ?? true
            return StoredHistoryEvent(
                id: try row.decode(0), previousEventId: try row.decode(1), type: try row.decode(2),
                timestamp: try row.decode(3), fanOutItemId: try row.decode(4), details: empty ? .null : details)
        }
    }
}
