// Cancel requests that reach only the statement they were meant for.
//
// A PostgreSQL cancel request names a session, not a statement: the server cancels whatever that session runs
// when the request arrives. A request sent for a job that finished meanwhile would therefore cancel the next
// job on the same connection (seen in CI: a worker's cancelled TaskStarted announcement killed the task result
// written next on that pooled connection, and the task failed). The gate closes that window: a cancel is begun
// only while its job runs, and no other job starts on the connection until every begun cancel has been
// delivered (`PQcancel` returns once the server has processed the request; a request processed while the
// session waits for a command has no effect).
import Foundation

/// The running job of one connection and the cancel requests in flight for it; see the file comment.
final class CancelGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var running: Int?
    private var cancelsInFlight = 0

    /// Marks `job` as running on the connection, first waiting (on the connection's own thread) for any cancel
    /// request still being sent for an earlier job.
    func start(_ job: Int) {
        condition.lock()
        while cancelsInFlight > 0 { condition.wait() }
        running = job
        condition.unlock()
    }

    /// Waits for any cancel request still being sent, for work on the connection's thread that no cancel may
    /// reach (a rollback, a session reset); nothing counts as running meanwhile, so no new cancel begins.
    func waitForCancels() {
        condition.lock()
        while cancelsInFlight > 0 { condition.wait() }
        condition.unlock()
    }

    /// Marks the connection as running nothing.
    func finish() {
        condition.lock()
        running = nil
        condition.unlock()
    }

    /// When `job` is running now, counts a cancel request as in flight and returns true: the caller sends it
    /// and then calls `cancelDelivered()`. Returns false (send nothing) when the job is not running.
    func beginCancel(of job: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard running == job else { return false }
        cancelsInFlight += 1
        return true
    }

    /// A cancel request begun with `beginCancel` was delivered (or failed): later jobs may start.
    func cancelDelivered() {
        condition.lock()
        cancelsInFlight -= 1
        condition.broadcast()
        condition.unlock()
    }
}
