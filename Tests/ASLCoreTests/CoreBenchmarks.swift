// Benchmarks of the pure core (not run by default: set BATON_BENCH=1, and use a release build:
// `BATON_BENCH=1 swift test -c release --filter CoreBenchmarks`). Results go in docs/benchmarks.md.

import Testing
import Foundation
import BatonJSON
import ASLCore

@Suite(.enabled(if: ProcessInfo.processInfo.environment["BATON_BENCH"] != nil, "set BATON_BENCH=1 to run benchmarks"))
struct CoreBenchmarks {
    /// Drives a run to its end, performing only what the core needs (no history kept).
    static func drive(_ run: inout Run, _ environment: RunEnvironment, lastEventId: inout Int) -> (RunOutcome?, Int) {
        var events = 0
        var pending = run.start(in: environment, now: Date(timeIntervalSince1970: 0), randomSeed: 1, lastEventId: &lastEventId)
        while true {
            var next: [RunEvent] = []
            for action in pending {
                switch action {
                case .appendHistory: events += 1
                case .finished(let outcome): return (outcome, events)
                case .startChildren(let request):
                    var tracker = request.makeTracker()
                    var decision = tracker.start()
                    var queue: [Int] = []
                    loop: while true {
                        switch decision {
                        case .startMore(let range): queue += range
                        case .succeeded(let outputs): next.append(.childrenSucceeded(outputs: outputs)); break loop
                        case .failed(let failure): next.append(.childrenFailed(failure)); break loop
                        case .alreadyDone: break
                        }
                        let index = queue.removeFirst()
                        var child = Run(child: index, of: request)
                        let (outcome, childEvents) = drive(&child, environment, lastEventId: &lastEventId)
                        events += childEvents
                        decision = tracker.record(index: index, outcome: outcome!)
                    }
                default: return (nil, events)
                }
            }
            pending = []
            for event in next {
                pending += run.handle(event, in: environment, now: Date(timeIntervalSince1970: 0), randomSeed: 2, lastEventId: &lastEventId)
            }
        }
    }

    static func environment(_ definition: JSON, input: JSON) throws -> RunEnvironment {
        RunEnvironment(machine: try StateMachine(definition: definition), execution: ExecutionContext(
            stateMachineName: "bench", executionName: "e", region: "r", account: "a", input: input, startTime: Date()))
    }

    @Test func passChainTransitions() throws {
        let count = 1_000_000
        var states = JSONObject(minimumCapacity: count)
        for i in 0..<count {
            var state: JSONObject = ["Type": "Pass", "Parameters": ["value.$": "$.counter", "step": .int(i)], "ResultPath": "$.last"]
            state[i == count - 1 ? "End" : "Next"] = i == count - 1 ? true : .string("S\(i + 1)")
            states["S\(i)"] = .object(state)
        }
        let environment = try Self.environment(["StartAt": "S0", "States": .object(states)], input: ["counter": 1])
        var run = Run(block: .root, kind: .execution, input: environment.execution.input)
        var last = 0
        let clock = ContinuousClock()
        var outcome: RunOutcome?
        let elapsed = clock.measure { outcome = Self.drive(&run, environment, lastEventId: &last).0 }
        #expect(outcome?.status == "SUCCEEDED")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("BENCH pass-chain: \(count) transitions in \(seconds) s = \(Int(Double(count) / seconds)) transitions/s")
    }

    @Test func mapOverAHundredThousandItems() throws {
        let items = JSON.array((0..<100_000).map { ["id": .int($0), "name": .string("item \($0)")] })
        let definition = JSON.parse(#"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
          "ItemSelector":{"item.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
          "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"$.item.id"},"End":true}}},
          "ResultPath":"$.results","End":true}}}
        """#)
        let environment = try Self.environment(definition, input: ["items": items])
        var run = Run(block: .root, kind: .execution, input: environment.execution.input)
        var last = 0
        let clock = ContinuousClock()
        var outcome: RunOutcome?
        let elapsed = clock.measure { outcome = Self.drive(&run, environment, lastEventId: &last).0 }
        #expect(outcome?.status == "SUCCEEDED")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("BENCH map-100k: \(seconds) s, max RSS \(maxResidentMegabytes()) MB")
    }
}

func maxResidentMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss / 1024)
}
