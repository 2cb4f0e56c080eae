// Running the API in-process (HummingbirdTesting's router framework) and calling operations on it.
import BatonJSON
import BatonServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

enum ServerHarness {
    static var logger: Logger {
        var logger = Logger(label: "baton.server.test")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `test` against an in-process server over `backend`.
    static func withServer<Value: Sendable>(
        backend: any StepFunctionsBackend, auth: AuthMode = .none, maximumBodyBytes: Int = 4 * 1024 * 1024,
        webhooks: WebhookConfiguration = WebhookConfiguration(), now: @escaping @Sendable () -> Date = Date.init,
        _ test: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, maximumBodyBytes: maximumBodyBytes, auth: auth, webhooks: webhooks)
        let app = APIServer.application(configuration: configuration, backend: backend, logger: logger, now: now)
        return try await app.test(.router, test)
    }

    /// Calls `operation` with `input`; returns the status and the parsed body.
    static func call(
        _ client: any TestClientProtocol, _ operation: String, _ input: JSON, headers extra: HTTPFields = [:]
    ) async throws -> (status: Int, body: JSON) {
        try await raw(client, target: "AWSStepFunctions.\(operation)", body: input.serializedBytes(), headers: extra)
    }

    /// Posts `body` to `/` with `target`.
    static func raw(
        _ client: any TestClientProtocol, target: String?, body: [UInt8], headers extra: HTTPFields = [:]
    ) async throws -> (status: Int, body: JSON) {
        var headers: HTTPFields = [.contentType: "application/x-amz-json-1.0"]
        if let target { headers[HTTPFields.Element.Name("X-Amz-Target")!] = target }
        headers.append(contentsOf: extra)
        let response = try await client.execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(bytes: body))
        let bytes = Array(response.body.readableBytesView)
        let json = bytes.isEmpty ? JSON.null : try JSON(parsing: bytes)
        return (Int(response.status.code), json)
    }

    static let passDefinition = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#
    static let role = "arn:aws:iam::123456789012:role/test"
}
