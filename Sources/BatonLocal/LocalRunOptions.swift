import Foundation

/// How `LocalRunner` runs an execution.
public struct LocalRunOptions: Sendable {
    /// Function name → shell command line that serves it (`/bin/sh -c COMMAND`, input on stdin).
    public var functions: [String: String]
    /// Skip the waiting of Wait states, retry back-offs and the execution timeout: when nothing else is in
    /// flight, the virtual clock jumps to the next timer's due time (timestamps stay consistent).
    public var fastTimers: Bool
    /// The state machine name in `$$.StateMachine` and the ARNs (default `baton-local`).
    public var stateMachineName: String
    /// The execution name (default: a random UUID, as AWS).
    public var executionName: String
    /// The region in ARNs (default `us-east-1`).
    public var region: String
    /// The account in ARNs (default `123456789012`).
    public var account: String
    /// Keep the history events (otherwise only counted).
    public var keepHistory: Bool
    /// At most this many function processes at once, whatever the Map's MaxConcurrency (default 16).
    public var maxProcesses: Int
    /// The largest state result in bytes before `States.DataLimitExceeded` (default 256 KiB as on AWS).
    public var payloadSizeLimit: Int?
    /// The seed of the random source for jitter, `States.MathRandom`, `States.UUID` (default: random).
    public var randomSeed: UInt64?
    /// `STANDARD` or `EXPRESS`: an EXPRESS state machine's execution has an `…:express:…` ARN (default STANDARD).
    public var stateMachineType: String

    public init(functions: [String: String] = [:], fastTimers: Bool = false, stateMachineName: String = "baton-local",
                executionName: String = UUID().uuidString.lowercased(), region: String = "us-east-1",
                account: String = "123456789012", keepHistory: Bool = false, maxProcesses: Int = 16,
                payloadSizeLimit: Int? = 256 * 1024, randomSeed: UInt64? = nil, stateMachineType: String = "STANDARD") {
        self.stateMachineType = stateMachineType
        self.functions = functions
        self.fastTimers = fastTimers
        self.stateMachineName = stateMachineName
        self.executionName = executionName
        self.region = region
        self.account = account
        self.keepHistory = keepHistory
        self.maxProcesses = maxProcesses
        self.payloadSizeLimit = payloadSizeLimit
        self.randomSeed = randomSeed
    }
}

/// The result of a local execution.
public struct LocalRunResult: Sendable {
    /// How it ended.
    public var outcome: ASLCore.RunOutcome
    /// The history (empty unless `keepHistory`).
    public var history: [ASLCore.HistoryEvent]
    /// The execution context it ran with.
    public var execution: ASLCore.ExecutionContext
}

import ASLCore
