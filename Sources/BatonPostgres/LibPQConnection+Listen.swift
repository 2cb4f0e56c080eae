// Waiting for notifications on a LISTENing connection: poll() on the connection's socket and a wake-up
// descriptor, then PQconsumeInput and PQnotifies. Only the listener's own thread calls this.
import CLibPQ
import Foundation

/// What waiting on a listening connection produced.
enum ListenOutcome {
    /// Notifications that arrived (possibly none, after unrelated traffic).
    case notifications([(channel: String, payload: String)])
    /// Nothing arrived within the timeout.
    case timeout
    /// The wake-up descriptor became readable (stop was requested).
    case woken
    /// The connection died.
    case lost(PostgresError)
}

extension LibPQConnection {
    /// Waits (blocking, up to `timeoutMilliseconds`) until the server sends something or `wakeDescriptor`
    /// becomes readable, then returns any notifications received.
    func waitForNotifications(wakeDescriptor: Int32, timeoutMilliseconds: Int32) -> ListenOutcome {
        guard let conn = rawConnection else { return .lost(.closed()) }
        let buffered = drainNotifications(conn)
        if !buffered.isEmpty { return .notifications(buffered) }
        var descriptors = [
            pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, 2, timeoutMilliseconds)
        if ready < 0 { return errno == EINTR ? .notifications([]) : .lost(lostError()) }
        if ready == 0 { return .timeout }
        if descriptors[1].revents != 0 { return .woken }
        if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK { return .lost(lostError()) }
        return .notifications(drainNotifications(conn))
    }

    private func drainNotifications(_ conn: OpaquePointer) -> [(channel: String, payload: String)] {
        var received: [(channel: String, payload: String)] = []
        while let notification = PQnotifies(conn) {
            let channel = notification.pointee.relname.map { String(cString: $0) } ?? ""
            let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
            received.append((channel, payload))
            PQfreemem(notification)
        }
        return received
    }

    private func lostError() -> PostgresError {
        broken.withLock { $0 = true }
        let message = rawConnection.map { PostgresError.oneLine(String(cString: PQerrorMessage($0))) } ?? ""
        return PostgresError(kind: .connectionLost, message: message.isEmpty ? "the listening connection was lost" : message)
    }
}
