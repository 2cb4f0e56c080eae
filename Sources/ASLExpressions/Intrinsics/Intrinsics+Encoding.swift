// States.Base64Encode and States.Base64Decode: standard alphabet with padding, over the UTF-8
// bytes of the text; AWS accepts at most 10,000 characters of input.

import BatonJSON

extension IntrinsicCall {
    /// The longest input either Base64 function accepts.
    static let maximumBase64Input = 10_000

    func base64Encode(_ values: [JSON]) throws(ASLError) -> JSON {
        let text = values[0].stringValue!
        guard text.count <= Self.maximumBase64Input else {
            throw intrinsicFailure(.base64Encode, "the input must be at most \(Self.maximumBase64Input) characters long, but has \(text.count)")
        }
        return .string(base64(Array(text.utf8)))
    }

    func base64Decode(_ values: [JSON]) throws(ASLError) -> JSON {
        let text = values[0].stringValue!
        guard text.count <= Self.maximumBase64Input else {
            throw intrinsicFailure(.base64Decode, "the input must be at most \(Self.maximumBase64Input) characters long, but has \(text.count)")
        }
        guard let bytes = unbase64(text) else {
            throw intrinsicFailure(.base64Decode, "the input is not valid Base64: \(JSON.string(text).serialized())")
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}

private let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

func base64(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
        i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
        let n = UInt32(bytes[i]) << 16
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if rest == 2 {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes standard Base64 (padding optional); nil when the text is not Base64.
func unbase64(_ text: String) -> [UInt8]? {
    var table = [Int8](repeating: -1, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
    var symbols = Array(text.utf8)
    var padding = 0
    while symbols.last == UInt8(ascii: "=") {
        symbols.removeLast()
        padding += 1
    }
    guard padding <= 2, symbols.count % 4 != 1 else { return nil }
    if padding > 0, (symbols.count + padding) % 4 != 0 { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(symbols.count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for c in symbols {
        let v = table[Int(c)]
        guard v >= 0 else { return nil }
        buffer = buffer << 6 | UInt32(v)
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8(buffer >> UInt32(bits) & 0xFF))
        }
    }
    return out
}
