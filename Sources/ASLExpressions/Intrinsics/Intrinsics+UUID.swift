// States.UUID: a version 4 UUID in lowercase, its 122 random bits drawn from the random source
// the driver passes in (the pure core reads no randomness of its own).

import BatonJSON

/// A random version 4 UUID, e.g. `e8bf2e8d-5b0a-4c2f-9c3e-1f0a2b3c4d5e`.
public func makeUUID(random: inout SeededRandom) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    for _ in 0..<2 {
        let word = random.next()
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }
    bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
    bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for (i, byte) in bytes.enumerated() {
        if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
