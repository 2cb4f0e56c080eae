// The HTTP front of the server: one responder that routes by method and path.
//   POST /                 the Step Functions API (AWS JSON 1.0; SigV4 unless auth is off)
//   POST /webhooks/NAME    webhook ingress (X-Hub-Signature-256)
//   GET  /health           the process is up
//   GET  /ready            the database is reachable and its schema is the one this binary needs
// The body is read once, up to the configured limit, before anything else looks at it (the signature covers
// it). Every answer is JSON; API errors use AWS's `{"__type", "message"}` shape.
import BatonJSON
import Foundation
import Hummingbird
import Logging

/// Answers every HTTP request of `baton server`.
public struct APIResponder: HTTPResponder {
    public typealias Context = BasicRequestContext

    let configuration: ServerConfiguration
    let backend: any StepFunctionsBackend
    let dispatcher: OperationDispatcher
    let now: @Sendable () -> Date

    /// A responder serving `backend` with `configuration`; `now` is the clock SigV4's skew check uses.
    public init(
        configuration: ServerConfiguration, backend: any StepFunctionsBackend,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.backend = backend
        self.dispatcher = OperationDispatcher()
        self.now = now
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        switch request.method {
        case .get, .head:
            if path == "/health" { return Self.json(200, ["status": "ok"]) }
            if path == "/ready" { return await ready(context) }
        case .post:
            if path == "/" { return await api(request, context) }
            if path.hasPrefix("/webhooks/") {
                return await webhook(request, name: String(path.dropFirst("/webhooks/".count)), context)
            }
        default:
            break
        }
        return Self.json(404, ["message": .string("no route for \(request.method) \(path)")])
    }

    // MARK: Health

    private func ready(_ context: Context) async -> Response {
        do {
            try await backend.checkReady()
            return Self.json(200, ["status": "ready"])
        } catch {
            let reason = (error as? APIError)?.message ?? String(describing: error)
            return Self.json(503, ["status": "not ready", "reason": .string(reason)])
        }
    }

    // MARK: The API

    private func api(_ request: Request, _ context: Context) async -> Response {
        let requestId = UUID().uuidString.lowercased()
        var logger = context.logger
        logger[metadataKey: "request.id"] = "\(requestId)"
        let target = request.headers[FieldName("X-Amz-Target")!]
        let started = ContinuousClock.now
        let result: Result<JSON, APIError>
        do {
            let body = try await readBody(request)
            if case .sigV4(let verifier) = configuration.auth {
                let accessKey = try verifier.verify(Self.sigV4Request(request, body: body), now: now())
                logger[metadataKey: "auth.access_key_id"] = "\(accessKey)"
            }
            let operationContext = OperationContext(
                backend: backend, arns: configuration.arns, now: now, logger: logger,
                syncExecutionTimeout: configuration.syncExecutionTimeout,
                activityPollTimeout: configuration.activityPollTimeout)
            result = .success(try await dispatcher.dispatch(target: target, body: body, context: operationContext))
        } catch {
            result = .failure(error)
        }
        let elapsed = ContinuousClock.now - started
        switch result {
        case .success(let output):
            logger.debug("api request", metadata: ["operation": "\(target ?? "-")", "status": "200", "elapsed": "\(elapsed)"])
            return Self.awsJSON(200, output, requestId: requestId)
        case .failure(let error):
            let level: Logger.Level = error.status >= 500 ? .error : .info
            logger.log(
                level: level, "api request refused",
                metadata: ["operation": "\(target ?? "-")", "status": "\(error.status)", "error": "\(error.type)", "message": "\(error.message)"])
            return Self.awsJSON(error.status, error.body, requestId: requestId, errorType: error.type)
        }
    }

    /// The body, refused with 413 when larger than the limit.
    private func readBody(_ request: Request) async throws(APIError) -> [UInt8] {
        let limit = configuration.maximumBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        } catch {
            throw APIError.serialization("could not read the request body: \(error)")
        }
    }

    /// The request as SigV4 sees it: HTTP/1's Host header arrives as the request's authority.
    static func sigV4Request(_ request: Request, body: [UInt8]) -> SigV4Request {
        var headers: [(name: String, value: String)] = request.headers.map { ($0.name.canonicalName, $0.value) }
        if !headers.contains(where: { $0.name == "host" }), let authority = request.head.authority {
            headers.append(("host", authority))
        }
        let path = request.uri.path
        let query = request.uri.query ?? ""
        return SigV4Request(method: request.method.rawValue, path: path, query: query, headers: headers, body: body)
    }

    // MARK: Webhooks

    private func webhook(_ request: Request, name: String, _ context: Context) async -> Response {
        guard let webhook = configuration.webhooks.webhooks[name] else {
            return Self.json(404, ["message": .string("no webhook named \(name) is configured")])
        }
        let body: [UInt8]
        do {
            body = try await readBody(request)
        } catch {
            return Self.json(error.status, ["message": .string(error.message)])
        }
        let handler = WebhookHandler(webhook: webhook, backend: backend, arns: configuration.arns, logger: context.logger)
        let headerValue = { (header: String) in request.headers[FieldName(header)!] }
        let (status, answer) = await handler.handle(
            body: body, signature: headerValue("X-Hub-Signature-256"), deliveryId: headerValue(webhook.deliveryHeader))
        return Self.json(status, answer)
    }

    // MARK: Responses

    static func json(_ status: Int, _ body: JSON) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serializedBytes())))
    }

    static func awsJSON(_ status: Int, _ body: JSON, requestId: String, errorType: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-amz-json-1.0"
        headers[FieldName("x-amzn-RequestId")!] = requestId
        if let errorType { headers[FieldName("x-amzn-ErrorType")!] = errorType }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serializedBytes())))
    }
}

/// An HTTP header name (HTTPTypes' `HTTPField.Name`, reached through Hummingbird's re-export of `HTTPFields`).
typealias FieldName = HTTPFields.Element.Name
