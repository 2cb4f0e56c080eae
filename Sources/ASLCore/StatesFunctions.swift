// The functions Step Functions adds to JSONata 2.0.6 in JSONata-mode states: `$partition`, `$range`,
// `$hash`, `$random` (with an optional seed), `$uuid` and `$parse`. `$random()` and `$uuid()` draw from a
// generator seeded with the step's random seed, so that the core stays pure and a replay gives the same values.

import Foundation
import Synchronization
import BatonJSON
import ASLExpressions
import JSONata

enum StatesFunctions {
    /// The functions for one evaluation, their random draws seeded with `seed`.
    static func library(seed: UInt64) -> [String: JSONataNativeFunction] {
        let random = RandomBox(seed: seed)
        var functions = fixed
        functions["random"] = JSONataNativeFunction(signature: "<n?:n>") { args throws(JSONataError) in
            if let seed = args.first ?? nil, let value = seed.doubleValue {
                var seeded = SeededRandom(seed: UInt64(bitPattern: Int64(value.rounded())))
                return .double(unitInterval(seeded.next()))
            }
            return .double(unitInterval(random.next()))
        }
        functions["uuid"] = JSONataNativeFunction(signature: "<:s>") { _ throws(JSONataError) in
            .string(random.uuid())
        }
        return functions
    }

    /// The functions that need no randomness, built once.
    private static let fixed: [String: JSONataNativeFunction] = [
        "partition": JSONataNativeFunction(signature: "<an:a>") { args throws(JSONataError) in
            guard case .array(let items)? = args.first ?? nil else { return nil }
            guard let size = (args.count > 1 ? args[1] : nil)?.doubleValue, size >= 1, size == size.rounded() else {
                throw JSONataError(code: "D3040", message: "The chunk size argument of $partition must be a positive integer")
            }
            let chunk = Int(size)
            return .array(stride(from: 0, to: items.count, by: chunk).map { .array(Array(items[$0..<min($0 + chunk, items.count)])) })
        },
        "range": JSONataNativeFunction(signature: "<nnn:a<n>>") { args throws(JSONataError) in
            let numbers = args.map { $0?.doubleValue }
            guard numbers.count == 3, let start = numbers[0], let end = numbers[1], let step = numbers[2] else { return nil }
            guard step != 0, [start, end, step].allSatisfy({ $0 == $0.rounded() }) else {
                throw JSONataError(code: "D3041", message: "The arguments of $range must be integers and the step cannot be 0")
            }
            let values = Swift.stride(from: start, through: end, by: step).map { JSON.int(Int($0)) }
            guard values.count <= 1000 else {
                throw JSONataError(code: "D3042", message: "$range cannot make more than 1000 values")
            }
            // a sequence, as JSONata returns it: one value stands alone, none is undefined
            switch values.count {
            case 0: return nil
            case 1: return values[0]
            default: return .array(values)
            }
        },
        "hash": JSONataNativeFunction(signature: "<ss:s>") { args throws(JSONataError) in
            guard let text = (args.first ?? nil)?.stringValue else { return nil }
            let name = (args.count > 1 ? args[1] : nil)?.stringValue ?? ""
            guard let algorithm = HashAlgorithm(rawValue: name) else {
                let names = HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                throw JSONataError(code: "D3043", message: "The algorithm of $hash must be one of \(names), not \(JSON.string(name).serialized())")
            }
            return .string(algorithm.hexDigest(of: Array(text.utf8)))
        },
        "parse": JSONataNativeFunction(signature: "<s:j>") { args throws(JSONataError) in
            guard let text = (args.first ?? nil)?.stringValue else { return nil }
            do { return try JSON(parsing: text) } catch {
                throw JSONataError(code: "D3044", message: "The argument of $parse is not JSON text: \(error)")
            }
        },
    ]

    /// A double in [0, 1) from 53 random bits.
    static func unitInterval(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1.0p-53
    }
}

/// A generator shared by the function closures of one evaluation.
private final class RandomBox: Sendable {
    private let random: Mutex<SeededRandom>

    init(seed: UInt64) { random = Mutex(SeededRandom(seed: seed)) }

    func next() -> UInt64 { random.withLock { $0.next() } }

    func uuid() -> String { random.withLock { makeUUID(random: &$0) } }
}
