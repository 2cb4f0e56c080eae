// Fan-out: one execution whose Map runs M items (the integers 0..<M), each one Task on the no-op worker, for
// each MaxConcurrency value. The wall time is the execution's stop − start as the table records it: inserting
// the items, running and refilling them, and assembling the M results in order.
import BatonJSON
import Foundation

extension Benchmark {
    /// Runs the Map once per MaxConcurrency value; returns the state machines it created.
    func fanOut(store: BenchStore, fleet: BenchFleet) async throws -> [Int64] {
        let items = settings.mapItems
        guard items > 0 else { return [] }
        var machines: [Int64] = []
        let input: JSON = ["items": .array((0..<items).map { .int($0) })]
        for maxConcurrency in settings.mapConcurrencies {
            let suffix = "map\(maxConcurrency)"
            let machine = try await store.createMachine(name(suffix), Self.mapDefinition(settings.functionName, maxConcurrency: maxConcurrency))
            machines.append(machine)
            await store.checkpoint()
            progress("a Map over \(items) items, MaxConcurrency \(maxConcurrency)")
            try await store.startExecution(of: name(suffix), input: input, name: "map")
            try await store.waitForAll(machine, expected: 1, fleet: fleet)
            let row = try await store.connection.query("""
                SELECT status, extract(epoch FROM stopped_at - started_at)::float8, coalesce(jsonb_array_length(output::jsonb), 0)
                FROM baton.executions WHERE state_machine_id = $1
                """, [machine]).first
            let status = try row?.decode(0, as: String.self) ?? "missing"
            let results = try row?.decode(2, as: Int.self) ?? 0
            if status != "SUCCEEDED" || results != items {
                report.notes.append("fan-out MaxConcurrency \(maxConcurrency): \(status) with \(results) results")
            }
            add("fan-out", "Map over \(items) items, MaxConcurrency \(maxConcurrency): wall time",
                try row?.decode(1, as: Double?.self) ?? .nan, "s", target: items >= 10_000 ? .below(10) : nil)
        }
        return machines
    }
}
