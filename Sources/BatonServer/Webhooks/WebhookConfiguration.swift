// The webhooks a server accepts, read from a JSON or YAML file:
//
//   webhooks:
//     github:                          # POST /webhooks/github
//       stateMachine: seed-workflow    # a name or ARN
//       secretEnv: GITHUB_WEBHOOK_SECRET   # or `secret: …` inline
//       deliveryHeader: X-GitHub-Delivery  # optional; the default
//
// Every webhook must have a secret: a delivery is accepted only with a valid X-Hub-Signature-256.
import ASLDocument
import BatonJSON
import Foundation

/// One webhook: where deliveries go and the secret that signs them.
public struct Webhook: Sendable, CustomStringConvertible {
    /// The name in `/webhooks/NAME`.
    public var name: String
    /// The state machine started per delivery (name or ARN).
    public var stateMachine: String
    /// The HMAC-SHA256 secret.
    var secret: [UInt8]
    /// The header whose value names the execution (making redeliveries idempotent).
    public var deliveryHeader: String

    /// A webhook.
    public init(name: String, stateMachine: String, secret: String, deliveryHeader: String = "X-GitHub-Delivery") {
        self.name = name
        self.stateMachine = stateMachine
        self.secret = Array(secret.utf8)
        self.deliveryHeader = deliveryHeader
    }

    public var description: String { "Webhook(\(name) → \(stateMachine), delivery id from \(deliveryHeader))" }
}

/// The webhooks a server accepts, by name.
public struct WebhookConfiguration: Sendable {
    /// The webhooks by name.
    public var webhooks: [String: Webhook]

    /// A configuration with these webhooks.
    public init(_ webhooks: [Webhook] = []) {
        self.webhooks = Dictionary(webhooks.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Reads a webhook file; `environment` resolves `secretEnv`.
    public static func load(file: String, environment: [String: String]) throws -> WebhookConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ServerConfigurationError("cannot read the webhook file \(file): \(error.localizedDescription)")
        }
        return try parse(text: text, fileName: file, environment: environment)
    }

    /// Parses webhook configuration text (JSON or YAML).
    public static func parse(text: String, fileName: String, environment: [String: String]) throws -> WebhookConfiguration {
        let document: JSON
        do {
            document = try DefinitionLoader.parse(text: text, format: .auto, fileName: fileName)
        } catch {
            throw ServerConfigurationError("\(fileName): \(error)")
        }
        guard case .object(let entries)? = document["webhooks"] else {
            throw ServerConfigurationError("\(fileName): expected a top-level `webhooks` object mapping names to settings")
        }
        var webhooks: [Webhook] = []
        for (name, value) in entries {
            let here = "\(fileName): webhooks.\(name)"
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ServerConfigurationError("\(here): a webhook name may contain only letters, digits, -, _ and .")
            }
            guard let machine = value["stateMachine"]?.stringValue, !machine.isEmpty else {
                throw ServerConfigurationError("\(here): `stateMachine` (a state machine name or ARN) is required")
            }
            var secret = value["secret"]?.stringValue
            if let variable = value["secretEnv"]?.stringValue {
                guard let fromEnvironment = environment[variable], !fromEnvironment.isEmpty else {
                    throw ServerConfigurationError("\(here): secretEnv names \(variable), which is not set")
                }
                secret = fromEnvironment
            }
            guard let secret, !secret.isEmpty else {
                throw ServerConfigurationError("\(here): a `secret` or `secretEnv` is required (deliveries are verified with X-Hub-Signature-256)")
            }
            let header = value["deliveryHeader"]?.stringValue ?? "X-GitHub-Delivery"
            webhooks.append(Webhook(name: name, stateMachine: machine, secret: secret, deliveryHeader: header))
        }
        return WebhookConfiguration(webhooks)
    }
}
