// Waiting for an asynchronous outcome by polling a condition until a deadline. Tests never sleep a fixed
// time to "let something happen": they state what they wait for and fail with that statement on timeout.

/// Polls `condition` every `poll` until it returns true; throws a `TestSupportError` naming `description`
/// when `timeout` passes first. Errors thrown by `condition` propagate.
public func waitUntil(
    _ description: String = "condition",
    timeout: Duration = .seconds(30),
    poll: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline {
            throw TestSupportError("timed out after \(timeout) waiting for: \(description)")
        }
        try await Task.sleep(for: poll)
    }
}
