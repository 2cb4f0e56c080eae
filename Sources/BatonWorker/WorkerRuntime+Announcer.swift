// Announcing tasks that are still running a moment after their claim (`startedAnnouncementDelay`), so that a
// long task's TaskStarted shows in the history while it runs (Tasks+Announce.swift). One loop for the whole
// worker, not a timer per task: it sleeps until the oldest unannounced task in flight is due, announces every
// task due by then in one statement, and with nothing in flight waits for the dispatcher's signal that tasks
// were claimed. Under load most tasks finish before they are due and are never announced; the ones that are
// cost one shared statement. A task that finishes while it is being announced is harmless: the announcement
// is fenced like a result, and the coordinator records TaskStarted once.
import Foundation

extension WorkerRuntime {
    func announceLoop() async {
        let delay = configuration.startedAnnouncementDelay
        while !Task.isCancelled && !state.withLock({ $0.finished }) {
            let oldest = state.withLock { state in
                state.inFlight.values.lazy.filter { !$0.announced }.map(\.claimedAt).min()
            }
            guard let oldest else {
                await announcerWake.wait(timeout: nil)
                continue
            }
            if ContinuousClock.now < oldest + delay {
                do { try await Task.sleep(until: oldest + delay, clock: .continuous) } catch { return }
            }
            let dueBy = ContinuousClock.now - delay
            let due = state.withLock { state -> [(taskID: Int64, leaseToken: UUID)] in
                var due: [(taskID: Int64, leaseToken: UUID)] = []
                for (id, entry) in state.inFlight where !entry.announced && entry.claimedAt <= dueBy {
                    state.inFlight[id]?.announced = true
                    due.append((id, entry.task.leaseToken))
                }
                return due
            }
            guard !due.isEmpty else { continue }
            do {
                _ = try await pool.withConnection { connection in
                    try await self.queue.announceStarted(due, on: connection)
                }
            } catch {
                // Not fatal: the coordinator writes TaskStarted with the result instead.
                logger.debug("could not announce the start of tasks", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
