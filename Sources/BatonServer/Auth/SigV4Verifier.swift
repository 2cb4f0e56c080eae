// Verifying an incoming request's AWS Signature Version 4 `Authorization` header, as AWS's front end does:
// parse `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…, Signature=…`,
// look the key up, require the request time (X-Amz-Date, else Date) within the allowed skew of the server
// clock (so a captured request cannot be replayed later), check the payload hash when the client sent one,
// recompute the signature and compare in constant time. Every refusal is a 403 with the error name botocore
// expects. Secrets never appear in messages.
import Foundation

/// Checks SigV4 signatures against a credential store.
public struct SigV4Verifier: Sendable {
    /// The accepted keys.
    public var credentials: CredentialStore
    /// The service name the credential scope must carry (`states`).
    public var service: String
    /// How far the request time may be from the server clock, either way (AWS allows 5 minutes).
    public var allowedSkew: TimeInterval

    /// A verifier over `credentials`.
    public init(credentials: CredentialStore, service: String = "states", allowedSkew: TimeInterval = 300) {
        self.credentials = credentials
        self.service = service
        self.allowedSkew = allowedSkew
    }

    /// Verifies `request` at server time `now`; returns the access key id that signed it.
    @discardableResult
    public func verify(_ request: SigV4Request, now: Date) throws(APIError) -> String {
        guard let header = request.values(of: "authorization").first else {
            if request.query.contains("X-Amz-Signature=") {
                throw APIError.incompleteSignature("Baton does not accept pre-signed (query-string) requests; sign with the Authorization header")
            }
            throw APIError.missingAuthentication("Missing Authentication Token")
        }
        let parsed = try AuthorizationHeader.parse(header)
        guard parsed.credentialParts.count == 5, parsed.credentialParts[4] == "aws4_request" else {
            throw APIError.incompleteSignature(
                "Credential should be scoped to a valid region, service and terminator: ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request")
        }
        let accessKeyId = parsed.credentialParts[0]
        let scope = SigV4Scope(date: parsed.credentialParts[1], region: parsed.credentialParts[2], service: parsed.credentialParts[3])
        guard scope.service == service else {
            throw APIError.invalidSignature("Credential should be scoped to correct service: '\(service)'.")
        }
        guard let secret = credentials.secret(for: accessKeyId) else {
            throw APIError.unrecognizedClient("The security token included in the request is invalid.")
        }
        let (amzDate, requestDate) = try requestTime(request)
        guard scope.date == String(amzDate.prefix(8)) else {
            throw APIError.invalidSignature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope.date)' != '\(amzDate.prefix(8))'")
        }
        if requestDate < now.addingTimeInterval(-allowedSkew) {
            throw APIError.invalidSignature(
                "Signature expired: \(amzDate) is now earlier than \(Self.format(now.addingTimeInterval(-allowedSkew))) (\(Self.format(now)) - \(Int(allowedSkew / 60)) min.)")
        }
        if requestDate > now.addingTimeInterval(allowedSkew) {
            throw APIError.invalidSignature(
                "Signature not yet current: \(amzDate) is still later than \(Self.format(now.addingTimeInterval(allowedSkew))) (\(Self.format(now)) + \(Int(allowedSkew / 60)) min.)")
        }
        guard parsed.signedHeaders.contains("host") else {
            throw APIError.invalidSignature("'Host' must be a signed header")
        }
        let computedHash = SigV4Signer.hexSHA256(request.body)
        var payloadHash = computedHash
        if let declared = request.values(of: "x-amz-content-sha256").first {
            if declared == "UNSIGNED-PAYLOAD" {
                payloadHash = declared
            } else if !SigV4Signer.constantTimeEquals(declared.lowercased(), computedHash) {
                throw APIError.invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
            }
        }
        let canonical = SigV4Signer.canonicalRequest(request, signedHeaders: parsed.signedHeaders, payloadHash: payloadHash)
        let toSign = SigV4Signer.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let expected = SigV4Signer.signature(stringToSign: toSign, secret: secret, scope: scope)
        guard SigV4Signer.constantTimeEquals(expected, parsed.signature.lowercased()) else {
            throw APIError.invalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        }
        return accessKeyId
    }

    /// The request time as `yyyyMMddTHHmmssZ` and as a date, from X-Amz-Date or else Date.
    private func requestTime(_ request: SigV4Request) throws(APIError) -> (String, Date) {
        if let amz = request.values(of: "x-amz-date").first {
            guard let date = Self.parseAmzDate(amz) else {
                throw APIError.incompleteSignature("X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z', not '\(amz)'")
            }
            return (amz, date)
        }
        if let http = request.values(of: "date").first {
            guard let date = Self.parseHTTPDate(http) else {
                throw APIError.incompleteSignature("the Date header is not an RFC 1123 date: '\(http)'")
            }
            return (Self.format(date), date)
        }
        throw APIError.incompleteSignature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    }

    /// `date` as `yyyyMMddTHHmmssZ`.
    public static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func parseAmzDate(_ text: String) -> Date? {
        guard text.count == 16 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// The parts of a SigV4 `Authorization` header.
struct AuthorizationHeader: Sendable {
    var credentialParts: [String]
    var signedHeaders: [String]
    var signature: String

    static func parse(_ header: String) throws(APIError) -> AuthorizationHeader {
        let prefix = SigV4Signer.algorithm + " "
        guard header.hasPrefix(prefix) else {
            let scheme = header.split(separator: " ").first.map(String.init) ?? ""
            throw APIError.incompleteSignature(
                "Unsupported Authorization Type '\(scheme)': Baton accepts AWS Signature Version 4 (AWS4-HMAC-SHA256)")
        }
        var fields: [String: String] = [:]
        for item in header.dropFirst(prefix.count).split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw APIError.incompleteSignature("Authorization header element '\(trimmed)' is not of the form key=value")
            }
            fields[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        var missing: [String] = []
        for name in ["Credential", "SignedHeaders", "Signature"] where (fields[name] ?? "").isEmpty {
            missing.append("'\(name)'")
        }
        guard missing.isEmpty, let credential = fields["Credential"], let signed = fields["SignedHeaders"],
            let signature = fields["Signature"]
        else {
            throw APIError.incompleteSignature(
                "Authorization header requires \(missing.joined(separator: ", ")) parameter(s). Authorization=\(SigV4Signer.algorithm) …")
        }
        return AuthorizationHeader(
            credentialParts: credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init),
            signedHeaders: signed.split(separator: ";").map { $0.lowercased() },
            signature: signature)
    }
}
