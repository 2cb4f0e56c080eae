import ArgumentParser
import BatonBench
import Foundation

/// `baton bench core`: the pure interpreter alone, without a database (issue 3's benchmark).
struct BenchCoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Measure the ASL interpreter alone: a chain of Pass states and a Map, no database, one thread."
    )

    @Option(name: .long, help: "Pass states in the chain (0 skips it).")
    var passStates = 1_000_000

    @Option(name: .long, help: "Items of the Map (0 skips it).")
    var mapItems = 100_000

    @Flag(name: .long, help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        guard passStates >= 0, mapItems >= 0 else { throw ValidationError("sizes must not be negative") }
    }

    func run() throws {
        do {
            let report = try CoreBenchmark(passStates: passStates, mapItems: mapItems).run()
            print(json ? try report.json() : report.table())
        } catch {
            printError("baton bench core: \(error)")
            throw ExitCode.failure
        }
    }
}
