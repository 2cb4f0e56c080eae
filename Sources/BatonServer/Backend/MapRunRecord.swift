// A DISTRIBUTED Map's map run as DescribeMapRun and ListMapRuns report it: what the fan-out row knows
// (status, dates, limits) and its items counted by how their child executions stand.
import Foundation

/// Items or child executions of a map run, counted by status (AWS's MapRunItemCounts / MapRunExecutionCounts).
public struct MapRunCounts: Sendable, Hashable {
    /// Not started yet (waiting for a MaxConcurrency slot).
    public var pending = 0
    /// Running.
    public var running = 0
    /// Succeeded.
    public var succeeded = 0
    /// Failed.
    public var failed = 0
    /// Timed out.
    public var timedOut = 0
    /// Aborted (stopped, or never started because the map run ended first).
    public var aborted = 0

    /// Counts with these values.
    public init(pending: Int = 0, running: Int = 0, succeeded: Int = 0, failed: Int = 0, timedOut: Int = 0, aborted: Int = 0) {
        self.pending = pending
        self.running = running
        self.succeeded = succeeded
        self.failed = failed
        self.timedOut = timedOut
        self.aborted = aborted
    }

    /// All of them.
    public var total: Int { pending + running + succeeded + failed + timedOut + aborted }
}

/// A map run.
public struct MapRunRecord: Sendable, Hashable {
    /// Its ARN, `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`.
    public var arn: String
    /// The execution whose Map state started it.
    public var executionArn: String
    /// That execution's state machine.
    public var stateMachineArn: String
    /// RUNNING, SUCCEEDED, FAILED or ABORTED.
    public var status: String
    /// When the Map state started it.
    public var startDate: Date
    /// When it ended.
    public var stopDate: Date?
    /// MaxConcurrency (0: no limit).
    public var maxConcurrency: Int
    /// ToleratedFailureCount (0 when none was given).
    public var toleratedFailureCount: Int
    /// ToleratedFailurePercentage (0 when none was given).
    public var toleratedFailurePercentage: Double
    /// The items (each item, or each ItemBatcher batch, is one child execution), by status.
    public var itemCounts: MapRunCounts
    /// How many times a redrive of the execution resumed it.
    public var redriveCount = 0
    /// When a redrive last resumed it.
    public var redriveDate: Date?

    /// A record with these values.
    public init(
        arn: String, executionArn: String, stateMachineArn: String, status: String, startDate: Date, stopDate: Date?,
        maxConcurrency: Int, toleratedFailureCount: Int, toleratedFailurePercentage: Double, itemCounts: MapRunCounts,
        redriveCount: Int = 0, redriveDate: Date? = nil
    ) {
        self.arn = arn
        self.executionArn = executionArn
        self.stateMachineArn = stateMachineArn
        self.status = status
        self.startDate = startDate
        self.stopDate = stopDate
        self.maxConcurrency = maxConcurrency
        self.toleratedFailureCount = toleratedFailureCount
        self.toleratedFailurePercentage = toleratedFailurePercentage
        self.itemCounts = itemCounts
        self.redriveCount = redriveCount
        self.redriveDate = redriveDate
    }
}
