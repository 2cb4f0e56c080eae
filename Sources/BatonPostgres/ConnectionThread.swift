// A serial executor on a thread BatonPostgres owns: one per connection.
//
// Why a thread and not libpq's non-blocking API: every libpq call for a connection (connect, exec, prepare,
// pipeline, finish) is simply run as a job on the connection's own thread, so the code stays libpq's plain
// synchronous calls, the PGconn is only ever touched by one thread (libpq requires that), and no blocking
// call runs on Swift's cooperative pool. Async callers submit a job and suspend on a continuation that the
// thread resumes. The cost is one OS thread per connection, which is fine for pools of tens of connections.
import Foundation

/// A dedicated OS thread that runs submitted jobs one at a time, in order.
final class ConnectionThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false

    /// Starts a thread named `name` (visible in debuggers and `top -H`).
    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues `job`; returns false (and does not run it) when the thread is shutting down.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Runs `body` on the thread and returns its result to the awaiting task.
    /// When the thread has been shut down, returns `whenStopped` instead.
    func run<T: Sendable>(
        orElse whenStopped: @autoclosure @escaping @Sendable () -> T, _ body: @escaping @Sendable () -> T
    ) async -> T {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<T, Never>) in
            let accepted = submit { continuation.resume(returning: body()) }
            if !accepted { continuation.resume(returning: whenStopped()) }
        }
    }

    /// Lets the queued jobs finish, then ends the thread. Jobs submitted afterwards are refused.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping {
                condition.wait()
            }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}

/// A value guarded by a lock, for small shared state read and written from any thread.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// The current value.
    var current: Value { withLock { $0 } }
}
