import ArgumentParser

/// `baton eval-jsonata` (not built yet).
struct EvalJSONataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval-jsonata", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("baton eval-jsonata is not built yet")
    }
}
