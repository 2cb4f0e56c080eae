// Blocking or long CPU-bound test work (a conformance runner subprocess read to its end, the 1,625 JSONata
// suite cases) must not sit on Swift's cooperative pool: on a 2-core machine the pool has two threads, and two
// such tests holding them for minutes stall every other test's continuations (timeouts then fire late, and
// wall-clock bounds fail for no fault of the code under test).
import Foundation

/// Runs `work` on a thread of its own and returns its result to the awaiting task.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
