import ArgumentParser

/// `baton run` (not built yet).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("baton run is not built yet")
    }
}
