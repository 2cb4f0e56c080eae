// `baton bench core`: the pure interpreter alone (ASLCore, no database, one thread), as issue 3 measures it:
// a chain of N Pass states with Parameters and ResultPath, and a Map over M items with an ItemSelector and a
// Pass per item. History events are counted, not kept; the clock and the random seed are fixed. Children of a
// Map are driven depth first through ChildRunsTracker, as the local runner does, without any I/O.
import ASLCore
import BatonJSON
import Foundation

/// The core benchmark's sizes.
public struct CoreBenchmark: Sendable {
    /// Pass states in the chain.
    public var passStates: Int
    /// Items of the Map.
    public var mapItems: Int

    /// A benchmark of these sizes.
    public init(passStates: Int = 1_000_000, mapItems: Int = 100_000) {
        self.passStates = passStates
        self.mapItems = mapItems
    }

    /// Runs both scenarios; returns a report with `core` figures (no server, no fleet).
    public func run() throws -> BenchReport {
        var report = BenchReport(
            date: ISO8601DateFormatter().string(from: Date()), host: ProcessInfo.processInfo.hostName,
            processors: ProcessInfo.processInfo.activeProcessorCount, server: [:], fleet: "none: ASLCore alone, one thread")
        let figure = { (metric: String, value: Double, unit: String, target: BenchTarget?) in
            report.figures.append(BenchFigure("core", metric, value, unit, target: target, load: LoadAverage.read()))
        }
        if passStates > 0 {
            var states = JSONObject(minimumCapacity: passStates)
            for index in 0..<passStates {
                var state: JSONObject = ["Type": "Pass", "Parameters": ["value.$": "$.counter", "step": .int(index)], "ResultPath": "$.last"]
                state[index == passStates - 1 ? "End" : "Next"] = index == passStates - 1 ? true : .string("S\(index + 1)")
                states["S\(index)"] = .object(state)
            }
            let built = ContinuousClock.now
            let environment = try Self.environment(["StartAt": "S0", "States": .object(states)], input: ["counter": 1])
            figure("typed tree of the \(passStates)-state definition: build time", (ContinuousClock.now - built).seconds, "s", nil)
            let (seconds, events, status) = Self.time(environment)
            if status != "SUCCEEDED" { report.notes.append("core: the Pass chain ended \(status ?? "waiting for I/O")") }
            figure("Pass chain: state transitions/s (\(events) history events)", Double(passStates) / seconds, "/s",
                   passStates >= 1_000_000 ? .atLeast(300_000) : nil)
        }
        if mapItems > 0 {
            let items = JSON.array((0..<mapItems).map { ["id": .int($0), "name": .string("item \($0)")] })
            let definition = try JSON(parsing: """
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
                 "ItemSelector":{"item.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"$.item.id"},"End":true}}},
                 "ResultPath":"$.results","End":true}}}
                """)
            let (seconds, events, status) = Self.time(try Self.environment(definition, input: ["items": items]))
            if status != "SUCCEEDED" { report.notes.append("core: the Map ended \(status ?? "waiting for I/O")") }
            figure("Map over \(mapItems) items (\(events) history events): wall time", seconds, "s",
                   mapItems >= 100_000 ? .below(2) : nil)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        figure("peak resident size of this process", Double(usage.ru_maxrss) / 1024, "MB", nil)
        return report
    }

    private static func environment(_ definition: JSON, input: JSON) throws -> RunEnvironment {
        RunEnvironment(machine: try StateMachine(definition: definition), execution: ExecutionContext(
            stateMachineName: "bench", executionName: "core", region: "us-east-1", account: "123456789012",
            input: input, startTime: Date(timeIntervalSince1970: 0)))
    }

    private static func time(_ environment: RunEnvironment) -> (seconds: Double, events: Int, status: String?) {
        var run = Run(block: .root, kind: .execution, input: environment.execution.input)
        var lastEventId = 0
        var events = 0
        let started = ContinuousClock.now
        let outcome = drive(&run, environment, lastEventId: &lastEventId, events: &events)
        return ((ContinuousClock.now - started).seconds, events, outcome?.status)
    }

    /// Runs `run` to its end, children depth first; nil if it asks for anything but history and children.
    private static func drive(_ run: inout Run, _ environment: RunEnvironment, lastEventId: inout Int, events: inout Int) -> RunOutcome? {
        let epoch = Date(timeIntervalSince1970: 0)
        var pending = run.start(in: environment, now: epoch, randomSeed: 1, lastEventId: &lastEventId)
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
                    children: while true {
                        switch decision {
                        case .startMore(let range): queue += range
                        case .succeeded(let outputs): next.append(.childrenSucceeded(outputs: outputs)); break children
                        case .failed(let failure): next.append(.childrenFailed(failure)); break children
                        case .alreadyDone: break
                        }
                        guard head < queue.count else { return nil }
                        let index = queue[head]
                        head += 1
                        var child = Run(child: index, of: request)
                        guard let outcome = drive(&child, environment, lastEventId: &lastEventId, events: &events) else { return nil }
                        decision = tracker.record(index: index, outcome: outcome)
                    }
                default: return nil
                }
            }
            pending = []
            for event in next {
                pending += run.handle(event, in: environment, now: epoch, randomSeed: 2, lastEventId: &lastEventId)
            }
        }
    }
}
