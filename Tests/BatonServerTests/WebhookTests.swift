// Webhook ingress: a valid GitHub-style delivery starts one execution; a redelivery starts none and answers
// with the same ARN; a missing or wrong signature is 401 and starts nothing.
import BatonJSON
import BatonServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct WebhookTests {
    static let secret = "It's a Secret to Everybody"

    static func deliver(
        _ client: any TestClientProtocol, body: String, signature: String?, delivery: String?, name: String = "github"
    ) async throws -> (Int, JSON) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signature { headers[HTTPFields.Element.Name("X-Hub-Signature-256")!] = signature }
        if let delivery { headers[HTTPFields.Element.Name("X-GitHub-Delivery")!] = delivery }
        let response = try await client.execute(
            uri: "/webhooks/\(name)", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (Int(response.status.code), try JSON(parsing: Array(response.body.readableBytesView)))
    }

    @Test func signatureMatchesGitHubsExample() {
        // GitHub's documentation example: secret "It's a Secret to Everybody", payload "Hello, World!".
        #expect(WebhookSignature.header(body: Array("Hello, World!".utf8), secret: Array(Self.secret.utf8))
            == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
    }

    @Test func deliveriesStartOneExecution() async throws {
        let backend = MemoryBackend()
        _ = try await backend.createStateMachine(
            name: "seed", definition: try JSON(parsing: ServerHarness.passDefinition), roleArn: ServerHarness.role, type: "STANDARD")
        let webhooks = WebhookConfiguration([Webhook(name: "github", stateMachine: "seed", secret: Self.secret)])
        let body = #"{"action":"opened","number":7}"#
        let good = WebhookSignature.header(body: Array(body.utf8), secret: Array(Self.secret.utf8))
        try await ServerHarness.withServer(backend: backend, webhooks: webhooks) { client in
            let wrong = try await Self.deliver(client, body: body, signature: "sha256=" + String(repeating: "0", count: 64), delivery: "d-1")
            #expect(wrong.0 == 401)
            let missing = try await Self.deliver(client, body: body, signature: nil, delivery: "d-1")
            #expect(missing.0 == 401)
            #expect(await backend.startCount == 0)

            let first = try await Self.deliver(client, body: body, signature: good, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958")
            #expect(first.0 == 201)
            #expect(first.1["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:seed:72d3162e-cc78-11e3-81ab-4c9367dc0958")
            #expect(first.1["started"] == true)
            let again = try await Self.deliver(client, body: body, signature: good, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958")
            #expect(again.0 == 200)
            #expect(again.1["executionArn"] == first.1["executionArn"])
            #expect(again.1["started"] == false)
            #expect(await backend.startCount == 1)
            let input = await backend.executions[first.1["executionArn"]?.stringValue ?? ""]?.input
            #expect(input.map { try? JSON(parsing: $0) } == (try JSON(parsing: body)))

            let unknown = try await Self.deliver(client, body: body, signature: good, delivery: "x", name: "gitlab")
            #expect(unknown.0 == 404)
        }
    }

    @Test func configurationFiles() throws {
        let yaml = """
            webhooks:
              github:
                stateMachine: arn:aws:states:us-east-1:123456789012:stateMachine:seed
                secretEnv: HOOK_SECRET
            """
        let configuration = try WebhookConfiguration.parse(text: yaml, fileName: "hooks.yaml", environment: ["HOOK_SECRET": "s"])
        #expect(configuration.webhooks["github"]?.stateMachine == "arn:aws:states:us-east-1:123456789012:stateMachine:seed")
        #expect(throws: ServerConfigurationError.self) {
            try WebhookConfiguration.parse(text: yaml, fileName: "hooks.yaml", environment: [:])
        }
        #expect(throws: ServerConfigurationError.self) {
            try WebhookConfiguration.parse(
                text: #"{"webhooks":{"x":{"stateMachine":"m"}}}"#, fileName: "hooks.json", environment: [:])
        }
    }
}
