// One element of a state's `Retry` list and the decision it makes when the state fails.
//
// The delay before retry attempt n+1 (n = retries already made by this retrier) is
// IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds; with JitterStrategy FULL it is drawn
// uniformly from [0, that delay] using the random source passed in with the event.

import BatonJSON
import ASLExpressions

/// `JitterStrategy`.
public enum JitterStrategy: String, Sendable, Hashable, Codable {
    case full = "FULL"
    case none = "NONE"
}

/// One retrier of a `Retry` list.
public struct Retrier: Sendable, Hashable {
    /// `ErrorEquals`.
    public var errorEquals: ErrorMatcher
    /// `IntervalSeconds` (default 1).
    public var intervalSeconds: Double = 1
    /// `MaxAttempts` (default 3; 0 means never retry).
    public var maxAttempts: Int = 3
    /// `BackoffRate` (default 2.0).
    public var backoffRate: Double = 2
    /// `MaxDelaySeconds`, when set.
    public var maxDelaySeconds: Double?
    /// `JitterStrategy` (default NONE).
    public var jitter: JitterStrategy = .none

    public init(errorEquals: [String], intervalSeconds: Double = 1, maxAttempts: Int = 3, backoffRate: Double = 2,
                maxDelaySeconds: Double? = nil, jitter: JitterStrategy = .none) {
        self.errorEquals = ErrorMatcher(names: errorEquals)
        self.intervalSeconds = intervalSeconds
        self.maxAttempts = maxAttempts
        self.backoffRate = backoffRate
        self.maxDelaySeconds = maxDelaySeconds
        self.jitter = jitter
    }

    init(reading reader: inout DefinitionReader) {
        let names = reader.object["ErrorEquals"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.init(errorEquals: names)
        if let v = reader.double("IntervalSeconds") { intervalSeconds = v }
        if let v = reader.int("MaxAttempts") { maxAttempts = v }
        if let v = reader.double("BackoffRate") { backoffRate = v }
        maxDelaySeconds = reader.double("MaxDelaySeconds")
        if let text = reader.string("JitterStrategy") { jitter = JitterStrategy(rawValue: text) ?? .none }
    }

    /// The delay before the next attempt, after `retriesSoFar` retries by this retrier.
    public func delay(afterRetries retriesSoFar: Int, random: inout SeededRandom) -> Double {
        var delay = intervalSeconds * pow(backoffRate, Double(retriesSoFar))
        if let cap = maxDelaySeconds { delay = min(delay, cap) }
        if jitter == .full { delay = Double.random(in: 0...delay, using: &random) }
        return delay
    }
}

/// What a state's `Retry` list decides for an error.
public enum RetryOutcome: Sendable, Hashable {
    /// Retry after this many seconds; `retrier` is the index of the retrier that matched.
    case retry(after: Double, retrier: Int)
    /// A retrier matched but its attempts are used up (the error goes on to Catch).
    case exhausted
    /// No retrier matched.
    case noMatch
}

extension Array where Element == Retrier {
    /// Evaluates the list for `error`, given how many retries each retrier has made so far.
    public func outcome(for error: String?, retryCounts: [Int], random: inout SeededRandom) -> RetryOutcome {
        for (index, retrier) in enumerated() where retrier.errorEquals.matches(error ?? "") {
            let done = index < retryCounts.count ? retryCounts[index] : 0
            guard done < retrier.maxAttempts else { return .exhausted }
            return .retry(after: retrier.delay(afterRetries: done, random: &random), retrier: index)
        }
        return .noMatch
    }
}

import Foundation
