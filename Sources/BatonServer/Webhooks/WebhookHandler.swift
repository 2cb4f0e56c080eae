// One webhook delivery: verify the signature over the raw body (401 and nothing started when it is missing
// or wrong), parse the body as the execution input, and start the configured state machine with the
// delivery id as the execution name. Starting by name is idempotent in the engine (same name and input give
// the existing execution), so a redelivery starts nothing and answers with the same execution ARN.
import BatonJSON
import Foundation
import Logging

/// Handles deliveries to one webhook.
struct WebhookHandler: Sendable {
    let webhook: Webhook
    let backend: any StepFunctionsBackend
    let arns: ArnConfiguration
    let logger: Logger

    /// The HTTP status and JSON answer for a delivery.
    func handle(body: [UInt8], signature: String?, deliveryId: String?) async -> (Int, JSON) {
        var logger = self.logger
        logger[metadataKey: "webhook.name"] = "\(webhook.name)"
        if let deliveryId { logger[metadataKey: "webhook.delivery"] = "\(deliveryId)" }
        guard WebhookSignature.isValid(header: signature, body: body, secret: webhook.secret) else {
            logger.notice("webhook delivery refused: \(signature == nil ? "no" : "bad") X-Hub-Signature-256")
            return (401, ["message": .string(signature == nil
                ? "the X-Hub-Signature-256 header is missing"
                : "the X-Hub-Signature-256 signature does not match the body")])
        }
        let input: JSON
        do {
            input = try JSON(parsing: body)
        } catch {
            return (400, ["message": .string("the delivery body is not JSON: \(error)")])
        }
        if let deliveryId {
            do {
                try AWSNames.check(deliveryId, field: webhook.deliveryHeader)
            } catch {
                return (400, ["message": .string(error.message)])
            }
            guard (1...80).contains(deliveryId.count) else {
                return (400, ["message": .string("\(webhook.deliveryHeader) must be 1 to 80 characters long")])
            }
        }
        let machine = machineName()
        do {
            var alreadyStarted = false
            if let deliveryId {
                let arn = arns.execution(machine: machine, name: deliveryId)
                alreadyStarted = try await backend.describeExecution(arn: arn) != nil
            }
            let record = try await backend.startExecution(stateMachine: machine, name: deliveryId, input: input)
            logger.info(
                alreadyStarted ? "webhook redelivery: execution already started" : "webhook delivery started an execution",
                metadata: ["execution.arn": "\(record.arn)"])
            return (alreadyStarted ? 200 : 201, [
                "executionArn": .string(record.arn), "startDate": AWSTimestamp.json(record.startDate),
                "started": .bool(!alreadyStarted),
            ])
        } catch let error as APIError {
            logger.notice("webhook delivery failed", metadata: ["error": "\(error)"])
            return (error.status == 400 ? (error.type == "ExecutionAlreadyExists" ? 409 : 400) : error.status, error.body)
        } catch {
            logger.error("webhook delivery failed", metadata: ["error": "\(String(describing: error))"])
            return (500, ["message": "the execution could not be started; the server log has the details"])
        }
    }

    /// The configured state machine's name (the configuration may give a name or an ARN).
    private func machineName() -> String {
        guard webhook.stateMachine.hasPrefix("arn:"),
            let arn = try? ResourceArn.parse(webhook.stateMachine, as: [.stateMachine], field: "stateMachine")
        else { return webhook.stateMachine }
        return arn.name
    }
}
