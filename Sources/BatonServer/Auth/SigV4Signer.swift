// AWS Signature Version 4, the computation both sides make: the canonical request (method, URI, sorted query,
// canonical headers, signed header list, payload hash), the string to sign (algorithm, timestamp, credential
// scope, hash of the canonical request), the signing key (an HMAC-SHA256 chain over date, region, service and
// "aws4_request" keyed by "AWS4" + secret) and the hex signature. Pure functions over a request value, so the
// published AWS test vectors check them directly. The verifier (SigV4Verifier) adds parsing and policy.
import Crypto
import Foundation

/// A request as SigV4 sees it.
public struct SigV4Request: Sendable {
    /// The HTTP method (`POST`).
    public var method: String
    /// The path as sent on the wire (percent-encoded), without the query.
    public var path: String
    /// The raw query string (after `?`), or empty.
    public var query: String
    /// The headers as (name, value) pairs in any case; the same name may repeat. `host` must be among them.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// A request with these parts.
    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of header `name` (case-insensitive), in order.
    public func values(of name: String) -> [String] {
        let lower = name.lowercased()
        return headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }
}

/// The credential scope: `DATE/REGION/SERVICE/aws4_request`.
public struct SigV4Scope: Sendable, Hashable {
    /// `yyyyMMdd`.
    public var date: String
    /// The region (`us-east-1`).
    public var region: String
    /// The service (`states`).
    public var service: String

    /// A scope.
    public init(date: String, region: String, service: String) {
        self.date = date
        self.region = region
        self.service = service
    }

    /// `DATE/REGION/SERVICE/aws4_request`.
    public var text: String { "\(date)/\(region)/\(service)/aws4_request" }
}

/// The SigV4 computations.
public enum SigV4Signer {
    /// The only algorithm SigV4 defines for headers.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The canonical request of `request` signed over `signedHeaders` (lower-case names), with `payloadHash`
    /// (hex SHA-256 of the body, or the literal the client put in `x-amz-content-sha256`).
    public static func canonicalRequest(_ request: SigV4Request, signedHeaders: [String], payloadHash: String) -> String {
        var lines: [String] = []
        lines.append(request.method.uppercased())
        lines.append(canonicalURI(request.path))
        lines.append(canonicalQuery(request.query))
        for name in signedHeaders {
            let values = request.values(of: name).map(trimmedHeaderValue)
            lines.append("\(name):\(values.joined(separator: ","))")
        }
        lines.append("")
        lines.append(signedHeaders.joined(separator: ";"))
        lines.append(payloadHash)
        return lines.joined(separator: "\n")
    }

    /// The string to sign for a canonical request made at `amzDate` (`yyyyMMddTHHmmssZ`) in `scope`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: SigV4Scope) -> String {
        [algorithm, amzDate, scope.text, hexSHA256(Array(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// The signing key derived from `secret` for `scope`.
    public static func signingKey(secret: String, scope: SigV4Scope) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [scope.date, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The hex signature of `stringToSign` with `secret` in `scope`.
    public static func signature(stringToSign: String, secret: String, scope: SigV4Scope) -> String {
        let key = signingKey(secret: secret, scope: scope)
        return hex(Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)))
    }

    /// Lower-case hex SHA-256 of `bytes`.
    public static func hexSHA256(_ bytes: [UInt8]) -> String { hex(Array(SHA256.hash(data: bytes))) }

    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The path with every byte outside RFC 3986's unreserved set (and `/`) percent-encoded. The path is taken
    /// as sent, so an escape in it is encoded once more — what botocore and the other SDKs sign for every
    /// service but S3. An empty path is `/`.
    static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
    }

    /// The query's parameters decoded, re-encoded, sorted by name then value and joined with `&`.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]))
            let value = parts.count > 1 ? percentDecode(String(parts[1])) : ""
            pairs.append((uriEncode(name, keepSlash: false), uriEncode(value, keepSlash: false)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// A header value with leading and trailing blanks removed and inner runs of blanks collapsed to one.
    static func trimmedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" || c == "." || c == "~"
                || (keepSlash && c == "/")
            {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func percentDecode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    /// Whether two strings are equal, in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
