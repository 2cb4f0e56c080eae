import ArgumentParser

/// `baton worker` (not built yet).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("baton worker is not built yet")
    }
}
