// Transactions through a closure: BEGIN, run the body, COMMIT on return, ROLLBACK on throw. When the caller
// says the body is safe to repeat, a serialization failure or deadlock (at any point, COMMIT included) rolls
// back and runs the whole body again, a bounded number of times with a short, jittered, growing pause.
// A transaction started inside another one on the same connection becomes a SAVEPOINT instead.
import Foundation

/// The isolation level of a transaction.
public enum PostgresIsolationLevel: String, Sendable {
    /// PostgreSQL's default: each statement sees data committed before it began.
    case readCommitted = "READ COMMITTED"
    /// One snapshot for the whole transaction; concurrent updates fail with a serialization failure.
    case repeatableRead = "REPEATABLE READ"
    /// As if transactions ran one after another; conflicts fail with a serialization failure.
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// How many times a retryable transaction runs at most.
    public static let maximumTransactionAttempts = 5

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws (and rethrows).
    /// With `retryOnSerializationFailure`, a serialization failure or deadlock runs the whole body again
    /// (up to `maximumTransactionAttempts` times), so the body must be safe to repeat.
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        retryOnSerializationFailure: Bool = false,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let depth = transactionDepth.current
        if depth > 0 { return try await savepoint(depth: depth, body) }
        var attempt = 1
        while true {
            do {
                return try await runTransaction(isolation: isolation, body)
            } catch let error as PostgresError
                where retryOnSerializationFailure && error.isRetryableTransactionFailure
                && attempt < PostgresConnection.maximumTransactionAttempts && !isBroken
            {
                logger.debug(
                    "retrying transaction",
                    metadata: ["db.attempt": .stringConvertible(attempt), "db.error": .string(error.description)])
                let base = 5.0 * pow(2.0, Double(attempt - 1))
                let pause = base + Double.random(in: 0..<base)
                try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000))
                attempt += 1
            }
        }
    }

    private func runTransaction<T: Sendable>(
        isolation: PostgresIsolationLevel, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let begin = isolation == .readCommitted ? "BEGIN" : "BEGIN ISOLATION LEVEL \(isolation.rawValue)"
        try await simpleQuery(begin)
        transactionDepth.withLock { $0 = 1 }
        defer { transactionDepth.withLock { $0 = 0 } }
        let value: T
        do {
            value = try await body(self)
        } catch {
            await rollbackQuietly("ROLLBACK")
            throw error
        }
        do {
            try await simpleQuery("COMMIT")
        } catch {
            await rollbackQuietly("ROLLBACK")
            throw error
        }
        return value
    }

    private func savepoint<T: Sendable>(
        depth: Int, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let name = "baton_savepoint_\(depth)"
        try await simpleQuery("SAVEPOINT \(name)")
        transactionDepth.withLock { $0 = depth + 1 }
        defer { transactionDepth.withLock { $0 = depth } }
        do {
            let value = try await body(self)
            try await simpleQuery("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            await rollbackQuietly("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    /// Rolls back, ignoring a failure (the body's error is the one worth reporting; a dead connection
    /// rolls back by itself).
    private func rollbackQuietly(_ statement: String) async {
        guard !isBroken else { return }
        // Not through `onThread`: a rollback in a cancelled task must not send a cancel request.
        let handle = self.handle
        let outcome = await thread.run(orElse: .failure(.closed())) { () -> Result<Void, PostgresError> in
            handle.cancelGate.waitForCancels()  // the body's cancelled statement must not take the rollback with it
            return handle.simpleQuery(statement)
        }
        if case .failure(let error) = outcome {
            logger.debug("rollback failed", metadata: ["db.error": .string(error.description)])
        }
    }
}
