import ArgumentParser

/// `baton migrate` (not built yet).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("baton migrate is not built yet")
    }
}
