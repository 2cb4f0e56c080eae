import ArgumentParser

/// `baton validate` (not built yet).
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("baton validate is not built yet")
    }
}
