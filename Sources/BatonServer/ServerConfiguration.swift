// Everything `baton server` is configured with, gathered in one value so tests build servers the same way.
import Foundation

/// How API requests are authenticated.
public enum AuthMode: Sendable {
    /// No authentication (local development only; the server logs a warning at start).
    case none
    /// AWS Signature Version 4 with the verifier's keys.
    case sigV4(SigV4Verifier)
}

/// The settings of an API server.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on (0 picks a free one).
    public var port: Int
    /// Region and account in ARNs.
    public var arns: ArnConfiguration
    /// The largest request body accepted, in bytes (larger is 413). The default leaves room for a 1 MiB
    /// definition, AWS's limit, with JSON escaping.
    public var maximumBodyBytes: Int
    /// How API requests are authenticated.
    public var auth: AuthMode
    /// The webhooks served under `/webhooks/NAME`.
    public var webhooks: WebhookConfiguration
    /// How long StartSyncExecution waits for the execution to finish.
    public var syncExecutionTimeout: Duration
    /// How long GetActivityTask waits for a task (AWS: 60 seconds).
    public var activityPollTimeout: Duration = .seconds(60)

    /// A configuration; by default on 127.0.0.1:8083 with SigV4 required and no keys (so every request is
    /// refused until keys are configured).
    public init(
        host: String = "127.0.0.1", port: Int = 8083, arns: ArnConfiguration = ArnConfiguration(),
        maximumBodyBytes: Int = 4 * 1024 * 1024, auth: AuthMode = .sigV4(SigV4Verifier(credentials: CredentialStore([:]))),
        webhooks: WebhookConfiguration = WebhookConfiguration(), syncExecutionTimeout: Duration = .seconds(300)
    ) {
        self.host = host
        self.port = port
        self.arns = arns
        self.maximumBodyBytes = maximumBodyBytes
        self.auth = auth
        self.webhooks = webhooks
        self.syncExecutionTimeout = syncExecutionTimeout
    }
}
