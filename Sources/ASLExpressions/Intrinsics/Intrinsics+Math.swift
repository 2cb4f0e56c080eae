// States.MathAdd and States.MathRandom. AWS rounds each argument to an integer the way Java's
// Math.round does (half up: 1.5 → 2, -1.5 → -1) before adding; arguments must fit a 32-bit int.
// MathRandom returns an integer in [start, end); without a seed it draws from the random source
// the driver passes in, with a seed it reproduces java.util.Random(seed) as AWS does.

import BatonJSON

extension IntrinsicCall {
    func mathAdd(_ values: [JSON]) throws(ASLError) -> JSON {
        let a = try roundedInt32(values[0], position: 0)
        let b = try roundedInt32(values[1], position: 1)
        return .number(.int(a + b))
    }

    func mathRandom(_ values: [JSON], random: inout SeededRandom) throws(ASLError) -> JSON {
        let start = try roundedInt32(values[0], position: 0)
        let end = try roundedInt32(values[1], position: 1)
        guard start < end else {
            throw intrinsicFailure(.mathRandom, "the start (\(start)) must be less than the end (\(end))")
        }
        let bound = end - start
        if values.count == 3 {
            let seed = try roundedInt32(values[2], position: 2)
            var java = JavaRandom(seed: seed)
            guard bound <= Int64(Int32.max) else {
                return .number(.int(start + Int64(java.nextLong() & Int64.max) % bound))
            }
            return .number(.int(start + Int64(java.nextInt(bound: Int32(bound)))))
        }
        return .number(.int(start + Int64(random.next(upperBound: UInt64(bound)))))
    }

    private func roundedInt32(_ value: JSON, position: Int) throws(ASLError) -> Int64 {
        guard case .number(let n) = value else {
            throw intrinsicFailure(function, "the \(ordinal(position)) argument must be a number, but was \(value.typeName)")
        }
        let rounded: Int64?
        switch n {
        case .int(let i): rounded = i
        case .double(let d): rounded = d.isFinite ? Int64(exactly: (d + 0.5).rounded(.down)) : nil
        }
        guard let rounded, rounded >= Int64(Int32.min), rounded <= Int64(Int32.max) else {
            throw intrinsicFailure(function, "the \(ordinal(position)) argument must be within the 32-bit integer range, but was \(value.serialized())")
        }
        return rounded
    }
}

/// java.util.Random's linear congruential generator, so a seeded `States.MathRandom` gives what
/// AWS gives for the same seed.
struct JavaRandom {
    private var seed: Int64

    init(seed: Int64) { self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1) }

    mutating func next(bits: Int) -> Int32 {
        seed = (seed &* 0x5DEECE66D &+ 0xB) & ((1 << 48) - 1)
        return Int32(truncatingIfNeeded: seed >> (48 - bits))
    }

    mutating func nextInt(bound: Int32) -> Int32 {
        if bound & -bound == bound {
            return Int32(truncatingIfNeeded: (Int64(bound) &* Int64(next(bits: 31))) >> 31)
        }
        var bits: Int32
        var value: Int32
        repeat {
            bits = next(bits: 31)
            value = bits % bound
        } while bits &- value &+ (bound &- 1) < 0
        return value
    }

    mutating func nextLong() -> Int64 {
        (Int64(next(bits: 32)) << 32) &+ Int64(next(bits: 32))
    }
}
