// A coalescing wake-up for the coordinator's loops: `signal()` wakes every waiting loop, or, when none is
// waiting, the next `wait` returns at once. Any number of loops may wait at the same time; each waiter is
// keyed by an id so that a cancelled wait removes exactly its own continuation.
import Foundation

final class WakeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var nextId = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]

    func signal() {
        lock.lock()
        let woken = waiters
        waiters = [:]
        if woken.isEmpty { pending = true }
        lock.unlock()
        for continuation in woken.values { continuation.resume() }
    }

    /// Returns when signalled (at once if a signal is pending), after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        let id = lock.withLock { () -> Int in
            nextId += 1
            return nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.lock()
                if pending || Task.isCancelled {
                    pending = false
                    lock.unlock()
                    continuation.resume()
                    return
                }
                waiters[id] = continuation
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let waiter = waiters.removeValue(forKey: id)
            lock.unlock()
            waiter?.resume()
        }
    }
}
