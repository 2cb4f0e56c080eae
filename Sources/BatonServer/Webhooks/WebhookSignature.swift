// GitHub-style webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed by the
// webhook secret>`, compared in constant time.
import Crypto

/// Computing and checking `X-Hub-Signature-256`.
public enum WebhookSignature {
    /// The header value for `body` signed with `secret`: `sha256=` and the lower-case hex digest.
    public static func header(body: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + SigV4Signer.hex(Array(code))
    }

    /// Whether `header` is a valid signature of `body` with `secret`.
    public static func isValid(header: String?, body: [UInt8], secret: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let expected = self.header(body: body, secret: secret)
        return SigV4Signer.constantTimeEquals(expected, "sha256=" + header.dropFirst(7).lowercased())
    }
}
