// The errors the API answers with, in AWS's JSON 1.0 error shape: `{"__type": "NAME", "message": "…"}` with
// an HTTP status. botocore picks the exception class from `__type` alone (everything after a `#`), so the
// names are exactly the shape names of the Step Functions service model; the status is 400 for a client
// error, 403 for authentication, 413 for an oversized body and 500 for Baton's own failures.
import BatonJSON

/// An error the API answers with: AWS's error type name, a message that names the field or resource, and
/// the HTTP status.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The AWS error shape name (`ValidationException`, `StateMachineDoesNotExist`, …).
    public var type: String
    /// What is wrong and where.
    public var message: String
    /// The HTTP status code.
    public var status: Int
    /// Extra members of the error shape (`reason` for ValidationException, `resourceName`, …).
    public var extra: [String: String]

    /// An error with this type, message and status (400 unless said otherwise).
    public init(_ type: String, _ message: String, status: Int = 400, extra: [String: String] = [:]) {
        self.type = type
        self.message = message
        self.status = status
        self.extra = extra
    }

    public var description: String { "\(type): \(message)" }

    /// The JSON body: `{"__type": …, "message": …}` plus any extra members.
    public var body: JSON {
        var object: JSONObject = ["__type": .string(type), "message": .string(message)]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
        return .object(object)
    }

    // MARK: Protocol errors

    /// A field breaks a constraint of the service model (length, range, enum, type, required).
    public static func validation(_ message: String) -> APIError {
        APIError("ValidationException", message)
    }

    /// The body is not a JSON object.
    public static func serialization(_ message: String) -> APIError {
        APIError("SerializationException", message)
    }

    /// The operation in `X-Amz-Target` is not one Baton serves.
    public static func unknownOperation(_ message: String) -> APIError {
        APIError("UnknownOperationException", message)
    }

    /// An ARN that is malformed or names the wrong kind of resource.
    public static func invalidArn(_ message: String) -> APIError {
        APIError("InvalidArn", "Invalid Arn: '\(message)'")
    }

    /// A pagination token that Baton did not issue (or that belongs to another listing).
    public static func invalidToken(_ message: String) -> APIError {
        APIError("InvalidToken", message)
    }

    /// The request body is over the configured limit.
    public static func tooLarge(limit: Int) -> APIError {
        APIError(
            "RequestEntityTooLargeException",
            "the request body is larger than this server's limit of \(limit) bytes", status: 413)
    }

    /// Baton failed (the database, a bug); the message says what was being done.
    public static func internalFailure(_ message: String) -> APIError {
        APIError("InternalFailure", message, status: 500)
    }

    /// The server cannot serve the request now (no database configured, database unreachable).
    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError("ServiceUnavailable", message, status: 503)
    }

    // MARK: Authentication errors (403, as AWS answers them)

    /// No `Authorization` header (or no signature at all).
    public static func missingAuthentication(_ message: String) -> APIError {
        APIError("MissingAuthenticationTokenException", message, status: 403)
    }

    /// An `Authorization` header that cannot be parsed or lacks a required part.
    public static func incompleteSignature(_ message: String) -> APIError {
        APIError("IncompleteSignatureException", message, status: 403)
    }

    /// The signature does not match, or the request is outside the allowed clock skew.
    public static func invalidSignature(_ message: String) -> APIError {
        APIError("InvalidSignatureException", message, status: 403)
    }

    /// The access key id is not one this server knows.
    public static func unrecognizedClient(_ message: String) -> APIError {
        APIError("UnrecognizedClientException", message, status: 403)
    }

    // MARK: Resource errors of the Step Functions model

    /// No state machine has this ARN.
    public static func stateMachineDoesNotExist(_ arn: String) -> APIError {
        APIError("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'")
    }

    /// No execution has this ARN.
    public static func executionDoesNotExist(_ arn: String) -> APIError {
        APIError("ExecutionDoesNotExist", "Execution Does Not Exist: '\(arn)'")
    }

    /// No activity has this ARN.
    public static func activityDoesNotExist(_ arn: String) -> APIError {
        APIError("ActivityDoesNotExist", "Activity Does Not Exist: '\(arn)'")
    }

    /// No resource (state machine, execution or activity) has this ARN.
    public static func resourceNotFound(_ arn: String) -> APIError {
        APIError("ResourceNotFound", "Resource not found: '\(arn)'", extra: ["resourceName": arn])
    }
}
