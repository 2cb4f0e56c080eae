// The LISTEN/NOTIFY channels of the task queue, and the ASL error names the queue itself writes.
//
// Why one channel for every function rather than one per function: PostgreSQL delivers notifications through
// one shared queue that every listening backend reads in full, whatever channels it listens on, so per-function
// channels would save only the client-side filtering of a short payload, while costing a name scheme that has
// to fit the 63-byte identifier limit (long function names would need hashing, in SQL and in Swift alike).
// So: `baton_tasks` carries the function name as its payload and a worker ignores other functions' payloads;
// `baton_inbox` wakes coordinators. PostgreSQL folds identical notifications (same channel and payload) sent in
// one transaction into one, so a batch of 10,000 tasks of one function sends a single wake-up.

/// The notification channels Baton's task queue uses.
public enum QueueChannel {
    /// Workers listen here; the payload is the function name whose tasks became available.
    public static let tasks = "baton_tasks"
    /// Coordinators listen here; sent when an inbox row was committed (payload: the inbox row's kind).
    public static let inbox = "baton_inbox"
}

/// ASL error names and cause texts written by the queue (BatonQueue does not depend on the ASL modules, so the
/// names are spelled here; they equal `ASLErrorName.timeout` etc.).
public enum QueueErrorName {
    /// `TimeoutSeconds` passed.
    public static let timeout = "States.Timeout"
    /// `HeartbeatSeconds` passed without a heartbeat.
    public static let heartbeatTimeout = "States.HeartbeatTimeout"
    /// The task failed; used for a worker lost more than `max_deliveries` times.
    public static let taskFailed = "States.TaskFailed"
    /// A result larger than the payload limit.
    public static let dataLimitExceeded = "States.DataLimitExceeded"
}
