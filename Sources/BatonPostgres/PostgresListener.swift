// LISTEN/NOTIFY on a connection of its own, served by a thread of its own.
//
// The thread connects, runs LISTEN for every channel, reports `.listening`, then waits in poll() on the
// connection's socket and on a wake-up pipe (so `stop()` interrupts it at once), handing each notification to
// the event stream. Every 30 idle seconds it runs `SELECT 1` so a silently dropped connection is noticed.
// When the connection is lost (server restart, `pg_terminate_backend`, network) it reports `.disconnected`,
// reconnects with a growing back-off (immediately the first time, then 0.1 s doubling to 5 s), re-LISTENs and
// reports `.listening` again: notifications sent while it was away are lost, so the caller should re-scan
// whatever they announce. Channel names are used exactly as given (quoted), as `pg_notify` uses them.
import CLibPQ
import Foundation
import Logging

/// What a `PostgresListener` reports.
public enum PostgresListenerEvent: Sendable {
    /// Connected and listening on every channel. After a reconnect, notifications may have been lost
    /// while disconnected: re-scan for the work they announce.
    case listening
    /// A notification on `channel` (sent with `NOTIFY` or `pg_notify`), delivered after its transaction committed.
    case notification(channel: String, payload: String)
    /// The connection was lost or could not be opened; the listener keeps retrying until stopped.
    case disconnected(PostgresError)
}

/// Listens for notifications on its own connection and thread, reconnecting after a drop.
public final class PostgresListener: Sendable {
    /// Where the listener connects.
    public let configuration: PostgresConfiguration
    /// The channels it listens on.
    public let channels: [String]
    private let logger: Logger
    private let shared: ListenerShared

    /// A listener for `channels`; nothing happens until `events()` is called.
    public init(
        configuration: PostgresConfiguration, channels: [String], logger: Logger = Logger(label: "baton.postgres.listener")
    ) {
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
        self.shared = ListenerShared()
    }

    deinit { shared.requestStop() }

    /// The listener's events. The first call starts listening; the stream ends after `stop()` (or when the
    /// consumer stops iterating). A stream has one consumer: later calls return a stream that is already finished.
    public func events() -> AsyncStream<PostgresListenerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: PostgresListenerEvent.self, bufferingPolicy: .unbounded)
        guard shared.markStarted() else {
            logger.warning("events() called more than once on a listener; the later stream is empty")
            continuation.finish()
            return stream
        }
        let shared = self.shared
        continuation.onTermination = { _ in shared.requestStop() }
        let loop = ListenerLoop(
            configuration: configuration, channels: channels, logger: logger, shared: shared, continuation: continuation)
        let thread = Thread {
            loop.run()
            continuation.finish()
            shared.markFinished()
        }
        thread.name = "baton-pg-listener"
        thread.start()
        return stream
    }

    /// Stops listening, closes the connection and ends the event stream; returns when the thread has finished.
    public func stop() async {
        shared.requestStop()
        await shared.waitUntilFinished()
    }
}

/// State shared by a listener, its thread and its stream: the wake-up pipe, the stop flag, completion.
final class ListenerShared: @unchecked Sendable {
    private struct State {
        var started = false
        var stopRequested = false
        var finished = false
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = LockedValue(State())
    /// Read end (polled by the thread) and write end (written by `requestStop`) of the wake-up pipe.
    let wakeRead: Int32
    private let wakeWrite: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) != 0 { descriptors = [-1, -1] }
        wakeRead = descriptors[0]
        wakeWrite = descriptors[1]
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// Marks the listener started; false if it already was.
    func markStarted() -> Bool {
        state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
    }

    func requestStop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopRequested = true }
            return !state.stopRequested
        }
        if first, wakeWrite >= 0 {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    func markFinished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.finishWaiters = [] }
            return state.finishWaiters
        }
        waiters.forEach { $0.resume() }
    }

    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.finished || !state.started { return true }
                state.finishWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Sleeps up to `seconds`, waking early when stop is requested.
    func pause(seconds: Double) {
        guard !stopRequested else { return }
        var descriptor = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(seconds * 1000))
    }
}

/// The body of the listener's thread.
private struct ListenerLoop: @unchecked Sendable {
    let configuration: PostgresConfiguration
    let channels: [String]
    let logger: Logger
    let shared: ListenerShared
    let continuation: AsyncStream<PostgresListenerEvent>.Continuation

    static let keepaliveMilliseconds: Int32 = 30_000

    func run() {
        var backoff = 0.0
        var reportedOutage = false
        while !shared.stopRequested {
            if backoff > 0 { shared.pause(seconds: backoff) }
            if shared.stopRequested { break }
            backoff = backoff == 0 ? 0.1 : min(backoff * 2, 5)
            let connection: LibPQConnection
            switch LibPQConnection.connect(configuration, logger: logger) {
            case .failure(let error):
                report(error, first: !reportedOutage)
                reportedOutage = true
                continue
            case .success(let opened):
                connection = opened
            }
            defer { connection.finish() }
            let listen = channels.map { "LISTEN \(quoteIdentifier($0))" }.joined(separator: "; ")
            if !channels.isEmpty, case .failure(let error) = connection.simpleQuery(listen) {
                report(error, first: !reportedOutage)
                reportedOutage = true
                continue
            }
            logger.debug("listening", metadata: ["db.channels": .string(channels.joined(separator: ","))])
            continuation.yield(.listening)
            reportedOutage = false
            if let error = serve(connection) {
                report(error, first: true)
                reportedOutage = true
                backoff = 0
            }
        }
    }

    /// Delivers notifications until the connection is lost (returns the error) or stop is requested (nil).
    private func serve(_ connection: LibPQConnection) -> PostgresError? {
        while true {
            switch connection.waitForNotifications(
                wakeDescriptor: shared.wakeRead, timeoutMilliseconds: ListenerLoop.keepaliveMilliseconds)
            {
            case .notifications(let received):
                for (channel, payload) in received {
                    continuation.yield(.notification(channel: channel, payload: payload))
                }
            case .timeout:
                if case .failure(let error) = connection.simpleQuery("SELECT 1") { return error }
            case .woken:
                if shared.stopRequested { return nil }
            case .lost(let error):
                return error
            }
            if shared.stopRequested { return nil }
        }
    }

    private func report(_ error: PostgresError, first: Bool) {
        guard !shared.stopRequested else { return }
        if first {
            logger.info("listener disconnected", metadata: ["db.error": .string(error.description)])
            continuation.yield(.disconnected(error))
        } else {
            logger.debug("listener reconnect failed", metadata: ["db.error": .string(error.description)])
        }
    }
}
