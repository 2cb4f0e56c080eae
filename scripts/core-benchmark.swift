// The core benchmark (docs/benchmarks.md, "ASL core"): a chain of Pass states with Parameters and ResultPath,
// and a Map over 100,000 items, driven through ASLCore alone (no history kept). Build and run with
// scripts/core-benchmark.sh after `swift build -c release --product baton`.

import Foundation
import BatonJSON
import ASLCore

func drive(_ run: inout Run, _ environment: RunEnvironment, lastEventId: inout Int, events: inout Int) -> RunOutcome? {
    var pending = run.start(in: environment, now: Date(timeIntervalSince1970: 0), randomSeed: 1, lastEventId: &lastEventId)
    while true {
        var next: [RunEvent] = []
        for action in pending {
            switch action {
            case .appendHistory: events += 1
            case .finished(let outcome): return outcome
            case .startChildren(let request):
                var tracker = request.makeTracker()
                var decision = tracker.start()
                var queue: [Int] = []
                var head = 0
                loop: while true {
                    switch decision {
                    case .startMore(let range): queue += range
                    case .succeeded(let outputs): next.append(.childrenSucceeded(outputs: outputs)); break loop
                    case .failed(let failure): next.append(.childrenFailed(failure)); break loop
                    case .alreadyDone: break
                    }
                    let index = queue[head]; head += 1
                    var child = Run(child: index, of: request)
                    let outcome = drive(&child, environment, lastEventId: &lastEventId, events: &events)
                    decision = tracker.record(index: index, outcome: outcome!)
                }
            default: return nil
            }
        }
        pending = []
        for event in next {
            pending += run.handle(event, in: environment, now: Date(timeIntervalSince1970: 0), randomSeed: 2, lastEventId: &lastEventId)
        }
    }
}

func env(_ definition: JSON, _ input: JSON) -> RunEnvironment {
    RunEnvironment(machine: try! StateMachine(definition: definition), execution: ExecutionContext(
        stateMachineName: "bench", executionName: "e", region: "r", account: "a", input: input, startTime: Date()))
}

func rss() -> Int { var u = rusage(); getrusage(RUSAGE_SELF.rawValue, &u); return Int(u.ru_maxrss / 1024) }

let count = Int(CommandLine.arguments.dropFirst().first ?? "1000000")!
var states = JSONObject(minimumCapacity: count)
for i in 0..<count {
    var state: JSONObject = ["Type": "Pass", "Parameters": ["value.$": "$.counter", "step": .int(i)], "ResultPath": "$.last"]
    state[i == count - 1 ? "End" : "Next"] = i == count - 1 ? true : .string("S\(i + 1)")
    states["S\(i)"] = .object(state)
}
let t0 = Date()
let chainEnv = env(["StartAt": "S0", "States": .object(states)], ["counter": 1])
print("build 1M-state machine: \(Date().timeIntervalSince(t0)) s")
var run = Run(block: .root, kind: .execution, input: chainEnv.execution.input)
var last = 0, events = 0
let t1 = Date()
let outcome = drive(&run, chainEnv, lastEventId: &last, events: &events)
let dt = Date().timeIntervalSince(t1)
print("pass chain: \(outcome!.status) \(count) transitions in \(dt) s = \(Int(Double(count) / dt))/s, \(events) events")

let items = JSON.array((0..<100_000).map { ["id": .int($0), "name": .string("item \($0)")] })
let mapDef = try! JSON(parsing: #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,"ItemSelector":{"item.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"$.item.id"},"End":true}}},"ResultPath":"$.results","End":true}}}"#)
let mapEnv = env(mapDef, ["items": items])
var mrun = Run(block: .root, kind: .execution, input: mapEnv.execution.input)
last = 0; events = 0
let t2 = Date()
let mout = drive(&mrun, mapEnv, lastEventId: &last, events: &events)
print("map 100k: \(mout!.status) in \(Date().timeIntervalSince(t2)) s, \(events) events, max RSS \(rss()) MB")
