// What the server logs: a warning when authentication is off, and never a secret (SigV4 secret, webhook
// secret, signatures) even at trace level.
import BatonJSON
import BatonServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A log handler that keeps every rendered line.
struct CapturingLogHandler: LogHandler {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let merged = metadata.merging(extra ?? [:]) { $1 }
        lines.append("\(level) \(message) \(merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
    }
}

@Suite struct LoggingTests {
    @Test func authNoneWarnsAtStart() {
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        _ = APIServer.application(
            configuration: ServerConfiguration(port: 0, auth: .none), backend: MemoryBackend(), logger: logger)
        #expect(lines.all.contains { $0.hasPrefix("warning") && $0.contains("authentication is OFF") })

        let quiet = CapturingLogHandler.Lines()
        let signed = Logger(label: "test") { _ in CapturingLogHandler(lines: quiet) }
        _ = APIServer.application(
            configuration: ServerConfiguration(
                port: 0, auth: .sigV4(SigV4Verifier(credentials: CredentialStore(["AKIDLOG": "log-secret-value"])))),
            backend: MemoryBackend(), logger: signed)
        #expect(!quiet.all.contains { $0.contains("authentication is OFF") })
        #expect(quiet.all.contains { $0.contains("AKIDLOG") })
        #expect(!quiet.all.contains { $0.contains("log-secret-value") })
    }

    @Test func secretsNeverReachTheLog() async throws {
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        let secret = "sigv4-secret-never-logged"
        let hookSecret = "webhook-secret-never-logged"
        let configuration = ServerConfiguration(
            port: 0, auth: .sigV4(SigV4Verifier(credentials: CredentialStore(["AKIDLOG": secret]))),
            webhooks: WebhookConfiguration([Webhook(name: "hook", stateMachine: "m", secret: hookSecret)]))
        let app = APIServer.application(configuration: configuration, backend: MemoryBackend(), logger: logger)
        let body = Array(#"{"x":1}"#.utf8)
        let signature = WebhookSignature.header(body: body, secret: Array(hookSecret.utf8))
        try await app.test(.router) { client in
            // A request signed with the right key id but a wrong secret, and a webhook delivery.
            let scope = SigV4Scope(date: SigV4Verifier.format(Date()).prefix(8).description, region: "us-east-1", service: "states")
            let amzDate = SigV4Verifier.format(Date())
            var request = SigV4Request(
                method: "POST", path: "/", headers: [("host", "localhost"), ("x-amz-date", amzDate)], body: Array("{}".utf8))
            let canonical = SigV4Signer.canonicalRequest(request, signedHeaders: ["host", "x-amz-date"], payloadHash: SigV4Signer.hexSHA256(request.body))
            let wrong = SigV4Signer.signature(
                stringToSign: SigV4Signer.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope),
                secret: "not-" + secret, scope: scope)
            request.headers.append(("authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOG/\(scope.text), SignedHeaders=host;x-amz-date, Signature=\(wrong)"))
            var headers: HTTPFields = [.contentType: "application/x-amz-json-1.0"]
            for (name, value) in request.headers { headers[HTTPFields.Element.Name(name)!] = value }
            headers[HTTPFields.Element.Name("X-Amz-Target")!] = "AWSStepFunctions.ListStateMachines"
            let refused = try await client.execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(refused.status.code == 403)

            var hookHeaders: HTTPFields = [:]
            hookHeaders[HTTPFields.Element.Name("X-Hub-Signature-256")!] = signature
            hookHeaders[HTTPFields.Element.Name("X-GitHub-Delivery")!] = "d1"
            _ = try await client.execute(uri: "/webhooks/hook", method: .post, headers: hookHeaders, body: ByteBuffer(bytes: body))
        }
        let log = lines.all.joined(separator: "\n")
        #expect(log.contains("InvalidSignatureException"))
        #expect(!log.contains(secret))
        #expect(!log.contains(hookSecret))
        #expect(!log.contains(String(signature.dropFirst(7))))
    }
}
