// History events as the core emits them. Details hold JSON values (copy-on-write, never re-serialised on
// the hot path); `awsJSON()` renders AWS's GetExecutionHistory shape, where inputs and outputs are strings.

import Foundation
import BatonJSON

/// One event of an execution's history.
public struct HistoryEvent: Sendable, Codable, Hashable {
    /// The event id (1-based, in history order).
    public var id: Int
    /// The id of the event this one follows from (0 for the first).
    public var previousEventId: Int
    /// When it happened.
    public var timestamp: Date
    /// The AWS event type (`PassStateEntered`, `TaskScheduled`, …).
    public var type: String
    /// The details: an object with members such as `name`, `input`, `output`, `error`, `cause`, `index`,
    /// `length`, `resource`, `resourceType`, `parameters`, `assignedVariables` (`.null` when the event has none).
    @JSONCoded public var details: JSON

    public init(id: Int, previousEventId: Int, timestamp: Date, type: String, details: JSON) {
        self.id = id
        self.previousEventId = previousEventId
        self.timestamp = timestamp
        self.type = type
        self.details = details
    }

    /// The name of the details member in AWS's shape (`stateEnteredEventDetails`, `taskScheduledEventDetails`, …).
    public var detailsKey: String? {
        if type.hasSuffix("StateEntered") { return "stateEnteredEventDetails" }
        if type.hasSuffix("StateExited") { return "stateExitedEventDetails" }
        if type.hasPrefix("MapIteration") { return lowerFirst(type) + "EventDetails" }
        if type == "MapStateStarted" { return "mapStateStartedEventDetails" }
        if type.hasSuffix("StateStarted") || type.hasSuffix("StateSucceeded") { return nil }
        if details.isNull { return nil }
        return lowerFirst(type) + "EventDetails"
    }

    /// The event as AWS's `GetExecutionHistory` prints it: `input`/`output`/`parameters` as JSON text.
    public func awsJSON() -> JSON {
        var object: JSONObject = [
            "timestamp": .string(ASLTime.format(timestamp)),
            "type": .string(type),
            "id": .int(id),
            "previousEventId": .int(previousEventId),
        ]
        if let key = detailsKey, let details = awsDetails { object[key] = details }
        return .object(object)
    }

    /// The details object in AWS's shape (the value of `detailsKey` in `awsJSON()`), nil when the event has
    /// none: `input`/`output`/`parameters` and each assigned variable as JSON text. Read back from what
    /// `writeAWSDetails` writes, so the shape is defined once.
    public var awsDetails: JSON? {
        var bytes: [UInt8] = []
        guard writeAWSDetails(to: &bytes) else { return nil }
        return try? JSON(parsing: bytes)
    }

    /// Appends the details in AWS's shape as compact JSON text without building them (the coordinator writes
    /// every event it appends this way) and returns true; returns false, writing nothing, when the event has
    /// none. Members keep their order; `input`, `output` and `parameters` become JSON text followed, after
    /// the other members, by `inputDetails` … `{"truncated":false}`; `assignedVariables` maps each variable
    /// to its value's JSON text, followed by `assignedVariablesDetails`.
    public func writeAWSDetails(to bytes: inout [UInt8]) -> Bool {
        guard detailsKey != nil, case .object(let members) = details else { return false }
        bytes.append(UInt8(ascii: "{"))
        var assignedAsText = false
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeJSONString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            if Self.textMembers.contains(key) {
                writeJSONString(value.serialized(), to: &bytes)
            } else if key == "assignedVariables", case .object(let assigned) = value {
                bytes.append(UInt8(ascii: "{"))
                for (variable, (name, assignedValue)) in assigned.enumerated() {
                    if variable > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeJSONString(name, to: &bytes)
                    bytes.append(UInt8(ascii: ":"))
                    writeJSONString(assignedValue.serialized(), to: &bytes)
                }
                bytes.append(UInt8(ascii: "}"))
                assignedAsText = true
            } else {
                value.write(to: &bytes)
            }
        }
        // The `…Details` members come after the original ones.
        for key in Self.textMembers where members[key] != nil {
            bytes.append(contentsOf: #","\#(key)Details":{"truncated":false}"#.utf8)
        }
        if assignedAsText { bytes.append(contentsOf: #","assignedVariablesDetails":{"truncated":false}"#.utf8) }
        bytes.append(UInt8(ascii: "}"))
        return true
    }

    /// The members AWS's history carries as JSON text, in the order their `…Details` members follow.
    static let textMembers = ["input", "output", "parameters"]
}

private func lowerFirst(_ s: String) -> String {
    guard let first = s.first else { return s }
    return first.lowercased() + s.dropFirst()
}
