import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite struct HistoryTests {
    @Test func idsAreSequentialAndChained() throws {
        var driver = try TestDriver(.parse(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#))
        _ = driver.run()
        #expect(driver.history.map(\.id) == Array(1...driver.history.count))
        #expect(driver.history.map(\.previousEventId) == Array(0..<driver.history.count))
        #expect(driver.eventTypes == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"])
    }

    @Test func childEventsFollowFromTheStartedEvent() throws {
        var driver = try TestDriver(.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
        """#), input: .parse("[1,2]"))
        _ = driver.run()
        let started = try #require(driver.history.first { $0.type == "MapStateStarted" })
        let iterations = driver.history.filter { $0.type == "MapIterationStarted" }
        #expect(iterations.map(\.previousEventId) == [started.id, started.id])
        #expect(iterations.map { $0.details["index"] } == [0, 1])
    }

    @Test func awsShapeWritesInputAndOutputAsText() throws {
        let event = HistoryEvent(id: 2, previousEventId: 1, timestamp: Date(timeIntervalSince1970: 0), type: "PassStateEntered",
                                 details: ["name": "A", "input": ["x": 1]])
        let aws = event.awsJSON()
        #expect(aws["type"] == "PassStateEntered")
        #expect(aws["timestamp"] == "1970-01-01T00:00:00.000Z")
        #expect(aws["stateEnteredEventDetails"]?["input"] == #"{"x":1}"#)
        #expect(aws["stateEnteredEventDetails"]?["name"] == "A")
    }

    @Test func timestampsAreFormattedAsAWSPrintsThem() {
        #expect(ASLTime.format(Date(timeIntervalSince1970: 1_700_000_000.123)) == "2023-11-14T22:13:20.123Z")
        #expect(ASLTime.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test func blockReferencesRoundTripThroughTheirPointer() throws {
        let reference = BlockReference(steps: [.branch(state: "a/b", index: 1), .itemProcessor(state: "M~")])
        #expect(reference.pointer == "/States/a~1b/Branches/1/States/M~0/ItemProcessor")
        #expect(BlockReference(pointer: reference.pointer) == reference)
        #expect(BlockReference(pointer: "") == .root)
        #expect(BlockReference(pointer: "/States/x") == nil)
        let machine = try StateMachine(definition: .parse(#"""
        {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
          "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}]}}}
        """#))
        let nested = BlockReference(steps: [.branch(state: "P", index: 0), .itemProcessor(state: "M")])
        #expect(machine.block(nested)?.startAt == "I")
    }

    @Test func malformedDefinitionsReportEveryProblem() {
        do {
            _ = try StateMachine(definition: .parse(#"{"StartAt":"X","States":{"A":{"Type":"Nope"},"B":{"Type":"Pass"}}}"#))
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 3)
        }
    }

    /// The details text the coordinator stores (`writeAWSDetails`, which `awsDetails` reads back): payloads and
    /// assigned values as JSON text, each followed by its `…Details` member, after the event's own members.
    @Test func detailsAreWrittenInAWSShape() throws {
        var driver = try TestDriver(.parse(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":{"b":2,"a":"q\"uote"},"y.$":"$.n"},"Next":"T"},"#
                + #""T":{"Type":"Task","Resource":"baton:function:f","Parameters":{"v.$":"$x"},"Next":"F"},"#
                + #""F":{"Type":"Fail","Error":"E","Cause":"line\nbreak"}}}"#), input: ["n": 1.5])
        #expect(driver.run() == .failed(RunFailure(error: "E", cause: "line\nbreak")))
        func written(_ type: String) throws -> String {
            let event = try #require(driver.history.first { $0.type == type }, "\(type)")
            var bytes: [UInt8] = []
            #expect(event.writeAWSDetails(to: &bytes))
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(try written("PassStateExited") == #"{"name":"A","output":"{\"n\":1.5}","#
            + #""assignedVariables":{"x":"{\"b\":2,\"a\":\"q\\\"uote\"}","y":"1.5"},"#
            + #""outputDetails":{"truncated":false},"assignedVariablesDetails":{"truncated":false}}"#)
        let scheduled = try written("TaskScheduled")
        #expect(scheduled.contains(#""parameters":"{\"v\":{\"b\":2,\"a\":\"q\\\"uote\"}}""#), "\(scheduled)")
        #expect(scheduled.hasSuffix(#","parametersDetails":{"truncated":false}}"#), "\(scheduled)")
        #expect(try written("ExecutionFailed") == #"{"error":"E","cause":"line\nbreak"}"#)
        var none: [UInt8] = []
        let succeeded = HistoryEvent(id: 9, previousEventId: 8, timestamp: Date(), type: "MapStateSucceeded", details: .null)
        #expect(!succeeded.writeAWSDetails(to: &none) && none.isEmpty && succeeded.awsDetails == nil)
    }
}
