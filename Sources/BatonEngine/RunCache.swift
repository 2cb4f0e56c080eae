// Decoded top-level runs by execution, so a coordinator does not decode the same `executions.state` text again
// on its next visit (decoding a `Run` with Codable was a sixth of the coordinator's CPU in `baton bench`).
// An entry is the state text it was decoded from or encoded to, and the `Run`; it is used only when the row's
// text is exactly that text, so a stale entry (another coordinator advanced the execution, or a transaction
// rolled back) is simply a miss. Bounded by the total length of the cached texts (a proxy for the runs'
// memory); the oldest entries go first.
import ASLCore
import Foundation

/// A bounded memo of `RunCoding.decode(Run.self, from:)` per execution.
final class RunCache: @unchecked Sendable {
    private struct Entry {
        var text: String
        var run: Run
    }

    private let lock = NSLock()
    private var entries: [Int64: Entry] = [:]
    private var order: [Int64] = []
    private var orderHead = 0
    private var bytes = 0
    /// At most this many bytes of state text are kept.
    let budget: Int

    /// A cache keeping at most `budget` bytes of state text (default 8 MiB: a decoded run takes a few times
    /// its text, so a few tens of MB at most, within the coordinator's memory target).
    init(budget: Int = 8 << 20) {
        self.budget = budget
    }

    /// The run stored as `text` for execution `id`: from the cache when it holds exactly that text, else decoded
    /// (and remembered).
    func run(executionId id: Int64, text: String) throws -> Run {
        if let hit = lock.withLock({ entries[id].flatMap { $0.text == text ? $0.run : nil } }) { return hit }
        let run = try RunCoding.decode(Run.self, from: text)
        remember(executionId: id, text: text, run: run)
        return run
    }

    /// Remembers that execution `id`'s state is now `text`, which is `run` encoded.
    func remember(executionId id: Int64, text: String, run: Run) {
        guard text.utf8.count <= budget / 8 else { return }  // a huge run would evict everything else
        lock.withLock {
            if let old = entries.updateValue(Entry(text: text, run: run), forKey: id) {
                bytes -= old.text.utf8.count
            } else {
                order.append(id)
            }
            bytes += text.utf8.count
            while bytes > budget, orderHead < order.count {
                let oldest = order[orderHead]
                orderHead += 1
                if let gone = entries.removeValue(forKey: oldest) { bytes -= gone.text.utf8.count }
            }
            // Keep the eviction order about as long as the live entries (forgotten ids linger in it).
            if order.count - orderHead > 2 * entries.count + 1024 {
                order = order[orderHead...].filter { entries[$0] != nil }
                orderHead = 0
            } else if orderHead > 1024, orderHead * 2 > order.count {
                order.removeFirst(orderHead)
                orderHead = 0
            }
        }
    }

    /// The executions with a cached run (for tests).
    var cachedExecutionIds: Set<Int64> { lock.withLock { Set(entries.keys) } }

    /// Forgets execution `id` (it finished).
    func forget(executionId id: Int64) {
        lock.withLock {
            if let gone = entries.removeValue(forKey: id) { bytes -= gone.text.utf8.count }
        }
    }
}
