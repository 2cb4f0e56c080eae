// The state text of a `Run`, written by hand: byte for byte what JSONTextEncoder writes for it through its
// synthesized `Codable` conformance (RunTextTests compares the two over runs in every phase and kind), at a
// fraction of the cost. Encoding each visited execution's run through `Codable` — generic containers, a
// coding-path array per member — was an eighth of the coordinator's CPU in `baton bench`. The `Codable`
// conformance stays the reader (`RunCoding.decode`) and the reference: a field added to `Run` or
// `TaskRequest` must be added here too, and RunTextTests fails until it is.
import ASLCore
import BatonJSON
import Foundation

enum RunText {
    /// `run` as JSONTextEncoder encodes it.
    static func encode(_ run: Run) -> String {
        var text = Writer()
        text.bytes.reserveCapacity(384)
        text.raw("{\"block\":")
        text.string(run.block.pointer)
        text.raw(",\"kind\":")
        switch run.kind {
        case .execution:
            text.raw("{\"execution\":{}}")
        case .parallelBranch(let index):
            text.raw("{\"parallelBranch\":{\"index\":")
            text.integer(index)
            text.raw("}}")
        case .mapIteration(let index, let mapState):
            text.raw("{\"mapIteration\":{\"index\":")
            text.integer(index)
            text.raw(",\"mapState\":")
            text.string(mapState)
            text.raw("}}")
        case .distributedItem(let index, let mapState):
            text.raw("{\"distributedItem\":{\"index\":")
            text.integer(index)
            text.raw(",\"mapState\":")
            text.string(mapState)
            text.raw("}}")
        }
        text.raw(",\"input\":")
        text.json(run.input)
        text.raw(",\"status\":")
        text.string(run.status.rawValue)
        text.raw(",\"phase\":")
        switch run.phase {
        case .created: text.raw("{\"created\":{}}")
        case .awaitingTask(let id):
            text.raw("{\"awaitingTask\":{\"id\":")
            text.integer(id)
            text.raw("}}")
        case .waiting(let timerId):
            text.raw("{\"waiting\":{\"timerId\":")
            text.integer(timerId)
            text.raw("}}")
        case .retryBackoff(let timerId):
            text.raw("{\"retryBackoff\":{\"timerId\":")
            text.integer(timerId)
            text.raw("}}")
        case .awaitingChildren: text.raw("{\"awaitingChildren\":{}}")
        case .finished: text.raw("{\"finished\":{}}")
        }
        text.raw(",\"stateName\":")
        text.string(run.stateName)
        text.raw(",\"stateInput\":")
        text.json(run.stateInput)
        text.raw(",\"effectiveInput\":")
        text.json(run.effectiveInput)
        text.raw(",\"enteredTime\":")
        text.double(run.enteredTime.timeIntervalSinceReferenceDate)  // Date's own Codable form
        text.raw(",\"enteredEventId\":")
        text.integer(run.enteredEventId)
        text.raw(",\"retryCounts\":[")
        for (index, count) in run.retryCounts.enumerated() {
            if index > 0 { text.raw(",") }
            text.integer(count)
        }
        text.raw("],\"stateRetryCount\":")
        text.integer(run.stateRetryCount)
        text.raw(",\"lastEventId\":")
        text.integer(run.lastEventId)
        text.raw(",\"nextActionId\":")
        text.integer(run.nextActionId)
        if let task = run.pendingTask {
            text.raw(",\"pendingTask\":{\"id\":")
            text.integer(task.id)
            text.raw(",\"stateName\":")
            text.string(task.stateName)
            text.raw(",\"resource\":")
            text.string(task.resource)
            text.raw(",\"invocation\":")
            text.string(task.invocation.rawValue)
            text.raw(",\"functionName\":")
            text.string(task.functionName)
            text.raw(",\"input\":")
            text.json(task.input)
            if let seconds = task.timeoutSeconds {
                text.raw(",\"timeoutSeconds\":")
                text.integer(seconds)
            }
            if let seconds = task.heartbeatSeconds {
                text.raw(",\"heartbeatSeconds\":")
                text.integer(seconds)
            }
            text.raw(",\"attempt\":")
            text.integer(task.attempt)
            if let token = task.taskToken {
                text.raw(",\"taskToken\":")
                text.string(token)
            }
            if let started = task.started {
                text.raw(started ? ",\"started\":true" : ",\"started\":false")
            }
            text.raw("}")
        }
        // (`storedVariables`: nil exactly when there are no variables; see Run.variables.)
        text.raw(",\"storedVariables\":")
        if run.variables.isEmpty {
            text.raw("null")
        } else {
            text.json(.object(run.variables))
        }
        text.raw("}")
        return String(decoding: text.bytes, as: UTF8.self)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func string(_ value: String) { writeJSONString(value, to: &bytes) }

        /// A JSON value stored as a string holding its compact text (`@JSONCoded`).
        mutating func json(_ value: JSON) { writeJSONString(value.serialized(), to: &bytes) }

        mutating func integer(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

        /// As JSONTextEncoder writes a Double: its shortest round-tripping text without a trailing `.0`.
        mutating func double(_ value: Double) {
            let text = value.description
            if text.utf8.count > 2, text.hasSuffix(".0") {
                bytes.append(contentsOf: text.utf8.dropLast(2))
            } else {
                bytes.append(contentsOf: text.utf8)
            }
        }
    }
}
