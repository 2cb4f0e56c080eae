// States.Hash: the lowercase hexadecimal digest of the UTF-8 bytes of a string, with one of the
// algorithms AWS names (MD5, SHA-1, SHA-256, SHA-384, SHA-512), computed by swift-crypto.

import BatonJSON
import Crypto

/// The algorithms `States.Hash` accepts, spelled as AWS spells them.
public enum HashAlgorithm: String, CaseIterable, Sendable {
    case md5 = "MD5"
    case sha1 = "SHA-1"
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// The lowercase hexadecimal digest of `bytes`.
    public func hexDigest(of bytes: [UInt8]) -> String {
        switch self {
        case .md5: hex(Insecure.MD5.hash(data: bytes))
        case .sha1: hex(Insecure.SHA1.hash(data: bytes))
        case .sha256: hex(SHA256.hash(data: bytes))
        case .sha384: hex(SHA384.hash(data: bytes))
        case .sha512: hex(SHA512.hash(data: bytes))
        }
    }
}

private func hex(_ digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

extension IntrinsicCall {
    /// The longest text `States.Hash` accepts.
    static let maximumHashInput = 10_000

    func computeHash(_ values: [JSON]) throws(ASLError) -> JSON {
        let text = values[0].stringValue!
        let name = values[1].stringValue!
        guard let algorithm = HashAlgorithm(rawValue: name) else {
            throw intrinsicFailure(.hash, "the algorithm must be one of \(HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")), but was \(JSON.string(name).serialized())")
        }
        guard text.count <= Self.maximumHashInput else {
            throw intrinsicFailure(.hash, "the input must be at most \(Self.maximumHashInput) characters long, but has \(text.count)")
        }
        return .string(algorithm.hexDigest(of: Array(text.utf8)))
    }
}
