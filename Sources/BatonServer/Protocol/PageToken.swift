// Pagination tokens: opaque to clients, base64url of a small JSON object that names the operation (and the
// listing's key, such as the execution ARN) it belongs to and where the next page starts. A token from another
// listing, or one that was altered, is InvalidToken rather than a wrong page.
import BatonJSON
import Foundation

/// Encodes and decodes `nextToken` values.
public enum PageToken {
    /// A token for `operation` over `scope` (the listing's key) resuming at `position`.
    public static func encode(operation: String, scope: String, position: JSON) -> String {
        let payload: JSON = ["o": .string(operation), "s": .string(scope), "p": position]
        return Data(payload.serializedBytes()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The position in `token`, which must have been issued for `operation` over `scope`.
    public static func decode(_ token: String, operation: String, scope: String) throws(APIError) -> JSON {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let payload = try? JSON(parsing: Array(data)),
            payload["o"]?.stringValue == operation, let position = payload["p"]
        else {
            throw APIError.invalidToken("Invalid Token: '\(token.prefix(64))' is not a nextToken issued by \(operation)")
        }
        guard payload["s"]?.stringValue == scope else {
            throw APIError.invalidToken("Invalid Token: the nextToken was issued for a different request of \(operation)")
        }
        return position
    }

    /// A token resuming a keyset listing after `cursor` (its start date in whole microseconds, and its ARN).
    static func encode(operation: String, scope: String, cursor: ExecutionCursor) -> String {
        let micros = Int64((cursor.startDate.timeIntervalSince1970 * 1_000_000).rounded())
        return encode(operation: operation, scope: scope, position: ["t": .number(.int(micros)), "a": .string(cursor.arn)])
    }

    /// The cursor in `token`, which must have been issued by `encode(operation:scope:cursor:)`.
    static func cursor(_ token: String, operation: String, scope: String) throws(APIError) -> ExecutionCursor {
        let position = try decode(token, operation: operation, scope: scope)
        guard let arn = position["a"]?.stringValue, let micros = position["t"]?.intValue else {
            throw APIError.invalidToken("Invalid Token: '\(token.prefix(64))'")
        }
        return ExecutionCursor(startDate: Date(timeIntervalSince1970: Double(micros) / 1_000_000), arn: arn)
    }
}
