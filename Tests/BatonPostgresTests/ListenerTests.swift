import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

/// LISTEN/NOTIFY: notifications arrive after commit and never after rollback; the listener survives the
/// termination of its backend, says so, and listens again.
@Suite struct ListenerTests {
    private func isListening(_ event: PostgresListenerEvent) -> Bool {
        if case .listening = event { return true }
        return false
    }

    private func payload(_ event: PostgresListenerEvent, on channel: String) -> String? {
        if case .notification(let c, let payload) = event, c == channel { return payload }
        return nil
    }

    @Test func aNotificationArrivesAfterCommitAndNotAfterRollback() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_listen_commit")
        let listener = PostgresListener(configuration: configuration, channels: ["jobs"], logger: TestDatabase.logger)
        let events = EventCollector(listener.events())
        try await events.waitFor("the listener is listening") { self.isListening($0) }
        let sender = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        let other = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)

        // A notification sent in an open transaction is not delivered before the commit: a marker sent and
        // committed by another session meanwhile arrives, the uncommitted one does not.
        try await sender.simpleQuery("BEGIN")
        try await sender.execute("SELECT pg_notify('jobs', $1)", ["pending"])
        try await other.execute("SELECT pg_notify('jobs', $1)", ["marker"])
        try await events.waitFor("the marker notification") { self.payload($0, on: "jobs") == "marker" }
        #expect(!events.elements.contains { payload($0, on: "jobs") == "pending" })
        try await sender.simpleQuery("COMMIT")
        try await events.waitFor("the committed notification") { self.payload($0, on: "jobs") == "pending" }

        // A rolled-back notification never arrives: one committed after it does, and it is not before.
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await sender.transaction { tx in
                try await tx.execute("SELECT pg_notify('jobs', $1)", ["rolled back"])
                throw Abort()
            }
        }
        try await sender.execute("SELECT pg_notify('jobs', $1)", ["after rollback"])
        try await events.waitFor("the notification sent after the rollback") { self.payload($0, on: "jobs") == "after rollback" }
        #expect(!events.elements.contains { payload($0, on: "jobs") == "rolled back" })

        await listener.stop()
        await sender.close()
        await other.close()
    }

    @Test func theListenerSurvivesTerminationAndSaysSo() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_listen_terminate")
        let database = TestDatabase.databaseName(for: "pg_listen_terminate")
        let listener = PostgresListener(
            configuration: configuration.withApplicationName("listener-under-test"), channels: ["Work Queue"],
            logger: TestDatabase.logger)
        let events = EventCollector(listener.events())
        try await events.waitFor("the listener is listening") { self.isListening($0) }
        let killed = try await TestDatabase.terminateBackends(database: database, applicationName: "listener-under-test")
        #expect(killed.count == 1)
        let lost = try await events.waitFor("a disconnected event") {
            if case .disconnected = $0 { return true }
            return false
        }
        if case .disconnected(let error) = events.elements[lost] { #expect(error.kind == .connectionLost) }
        try await events.waitFor("listening again", after: lost) { self.isListening($0) }
        let sender = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        try await sender.execute("SELECT pg_notify($1, $2)", ["Work Queue", "after reconnect"])
        try await events.waitFor("a notification after the reconnect") { self.payload($0, on: "Work Queue") == "after reconnect" }
        let pids = try await TestDatabase.backendPIDs(database: database, applicationName: "listener-under-test")
        #expect(pids.count == 1 && pids != killed, "a new backend listens")
        await listener.stop()
        try await waitUntil("the listener's connection is closed") {
            try await TestDatabase.backendPIDs(database: database, applicationName: "listener-under-test").isEmpty
        }
        await sender.close()
    }

    @Test func aListenerThatCannotConnectSaysSoAndKeepsTrying() async throws {
        let wrong = try TestDatabase.passwordConfiguration().setting("password", to: "not-the-Password-9")
        let listener = PostgresListener(configuration: wrong, channels: ["jobs"], logger: TestDatabase.logger)
        let events = EventCollector(listener.events())
        let index = try await events.waitFor("a disconnected event") {
            if case .disconnected = $0 { return true }
            return false
        }
        if case .disconnected(let error) = events.elements[index] {
            #expect(error.kind == .authenticationFailed)
            #expect(!error.description.contains("not-the-Password-9"))
        }
        await listener.stop()
        #expect(!events.elements.contains { isListening($0) })
    }

    @Test func stopEndsTheStream() async throws {
        let configuration = try await TestDatabase.create(suite: "pg_listen_stop")
        let listener = PostgresListener(configuration: configuration, channels: ["a", "b"], logger: TestDatabase.logger)
        let stream = listener.events()
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first.map(isListening) == true)
        await listener.stop()
        let end = await iterator.next()
        #expect(end == nil)
    }
}
