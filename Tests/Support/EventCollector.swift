// Collecting an async sequence's elements in the background, so a test can wait (with a deadline) until a
// given element has arrived, and check what else arrived, without blocking on `next()` forever.
import Foundation

/// Consumes an async sequence on a background task and keeps every element, readable at any time.
public final class EventCollector<Element: Sendable>: Sendable {
    private let storage = LockedBox<[Element]>([])
    private let consumer: Task<Void, Never>

    /// Starts consuming `sequence`.
    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == Element {
        let storage = self.storage
        consumer = Task {
            do {
                for try await element in sequence { storage.mutate { $0.append(element) } }
            } catch {}
        }
    }

    deinit { consumer.cancel() }

    /// The elements received so far, in order.
    public var elements: [Element] { storage.value }

    /// Stops consuming.
    public func cancel() { consumer.cancel() }

    /// Waits until `predicate` holds for some element received so far; returns the index of the first such one.
    @discardableResult
    public func waitFor(
        _ description: String, timeout: Duration = .seconds(30), after start: Int = 0,
        _ predicate: @escaping (Element) -> Bool
    ) async throws -> Int {
        var found: Int?
        try await waitUntil(description, timeout: timeout) {
            let elements = self.elements
            found = elements.indices.first { $0 >= start && predicate(elements[$0]) }
            return found != nil
        }
        return found!
    }
}

/// A value behind a lock.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func mutate(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}
