// Decides, as child results arrive one at a time, which children to start next and when a Map or
// Parallel state's children are done as a whole. Pure and `Codable`, so the local runner keeps it in memory
// and the distributed coordinator can keep it in a row; both get the same decisions.
//
// Failure rule: with no tolerance configured, the first failure fails the whole with the child's own error.
// With `ToleratedFailureCount` and/or `ToleratedFailurePercentage`, the whole fails with
// `States.ExceedToleratedFailureThreshold` as soon as the failures exceed either threshold; otherwise a
// failed child's result is its error output (`{"Error", "Cause"}`).

import BatonJSON

/// Tracks the children of one Map or Parallel state.
public struct ChildRunsTracker: Sendable, Codable {
    /// What to do after a child's result was recorded.
    public enum Decision: Sendable, Hashable {
        /// Keep going; start the children with these indices now (possibly none).
        case startMore(Range<Int>)
        /// All children are done: deliver `childrenSucceeded` with these outputs.
        case succeeded([JSON])
        /// The whole failed: deliver `childrenFailed` with this error and stop the children still running.
        case failed(RunFailure)
        /// The whole was already decided; ignore this result.
        case alreadyDone
    }

    /// How many children there are.
    public let count: Int
    /// At most this many run at once (0 = no limit).
    public let maxConcurrency: Int
    /// `ToleratedFailureCount`.
    public let toleratedFailureCount: Int?
    /// `ToleratedFailurePercentage`.
    public let toleratedFailurePercentage: Double?
    /// Children started so far (they are started in index order).
    public private(set) var started = 0
    /// Children finished so far.
    public private(set) var finishedCount = 0
    /// Children that failed so far.
    public private(set) var failedCount = 0
    /// Whether the whole has been decided.
    public private(set) var isDone = false
    private var outputs: [OptionalJSONCoded]

    /// A tracker for `count` children.
    public init(count: Int, maxConcurrency: Int, toleratedFailureCount: Int? = nil, toleratedFailurePercentage: Double? = nil) {
        self.count = count
        self.maxConcurrency = maxConcurrency
        self.toleratedFailureCount = toleratedFailureCount
        self.toleratedFailurePercentage = toleratedFailurePercentage
        outputs = Array(repeating: OptionalJSONCoded(wrappedValue: nil), count: count)
    }

    /// The children to start first; when there are none at all the whole has succeeded at once.
    public mutating func start() -> Decision {
        if count == 0 {
            isDone = true
            return .succeeded([])
        }
        return .startMore(claim())
    }

    /// Records child `index`'s outcome.
    public mutating func record(index: Int, outcome: RunOutcome) -> Decision {
        guard !isDone, index >= 0, index < count, outputs[index].wrappedValue == nil else { return .alreadyDone }
        finishedCount += 1
        switch outcome {
        case .succeeded(let output):
            outputs[index].wrappedValue = output
        case .failed(let failure), .timedOut(let failure), .aborted(let failure):
            failedCount += 1
            outputs[index].wrappedValue = failure.errorOutput
            if toleratedFailureCount == nil && toleratedFailurePercentage == nil {
                isDone = true
                return .failed(failure)
            }
            if exceedsTolerance {
                isDone = true
                return .failed(RunFailure(error: "States.ExceedToleratedFailureThreshold",
                                          cause: "The specified tolerated failure threshold was exceeded"))
            }
        }
        if finishedCount == count {
            isDone = true
            return .succeeded(outputs.map { $0.wrappedValue ?? .null })
        }
        return .startMore(claim())
    }

    /// How many children are running now.
    public var running: Int { started - finishedCount }

    private var exceedsTolerance: Bool {
        if let limit = toleratedFailureCount, failedCount > limit { return true }
        if let percentage = toleratedFailurePercentage, Double(failedCount) * 100 > percentage * Double(count) { return true }
        return false
    }

    private mutating func claim() -> Range<Int> {
        let limit = maxConcurrency > 0 ? maxConcurrency : count
        let startable = max(0, min(count - started, limit - running))
        let range = started..<(started + startable)
        started += startable
        return range
    }
}
