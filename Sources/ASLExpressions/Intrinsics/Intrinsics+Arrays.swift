// The array intrinsics: States.Array (in IntrinsicCall), ArrayPartition, ArrayContains,
// ArrayRange (at most 1000 elements, as AWS limits it), ArrayGetItem, ArrayLength, ArrayUnique.

import BatonJSON

extension IntrinsicCall {
    /// The largest array `States.ArrayRange` may produce.
    static let maximumRangeLength = 1000

    func arrayPartition(_ values: [JSON]) throws(ASLError) -> JSON {
        let array = values[0].arrayValue!
        guard let size = integer(values[1]), size > 0 else {
            throw intrinsicFailure(.arrayPartition, "the chunk size must be a positive integer, but was \(values[1].serialized())")
        }
        var chunks: [JSON] = []
        chunks.reserveCapacity(array.count / size + 1)
        var start = 0
        while start < array.count {
            let length = Swift.min(size, array.count - start)
            chunks.append(.array(Array(array[start..<start + length])))
            start += length
        }
        return .array(chunks)
    }

    func arrayRange(_ values: [JSON]) throws(ASLError) -> JSON {
        guard let start = integer(values[0]), let end = integer(values[1]), let step = integer(values[2]) else {
            throw intrinsicFailure(.arrayRange, "the start, end and step must be integers, but were \(values[0].serialized()), \(values[1].serialized()) and \(values[2].serialized())")
        }
        guard step != 0 else { throw intrinsicFailure(.arrayRange, "the step must not be 0") }
        // Counted in Double so that extreme arguments cannot overflow.
        let span = (Double(end) - Double(start)) / Double(step)
        let count = span < 0 ? 0 : (span >= Double(Self.maximumRangeLength) ? Int(Swift.min(span, 1e15)) + 1 : Int(span) + 1)
        guard count <= Self.maximumRangeLength else {
            throw intrinsicFailure(.arrayRange, "the range would have \(count) elements; at most \(Self.maximumRangeLength) are allowed")
        }
        var result: [JSON] = []
        result.reserveCapacity(count)
        // start + i·step stays between start and end for every i below count, so it cannot overflow.
        for i in 0..<count { result.append(.int(start + i * step)) }
        return .array(result)
    }

    func arrayGetItem(_ values: [JSON]) throws(ASLError) -> JSON {
        let array = values[0].arrayValue!
        guard let index = integer(values[1]), index >= 0 else {
            throw intrinsicFailure(.arrayGetItem, "the index must be a non-negative integer, but was \(values[1].serialized())")
        }
        guard index < array.count else {
            throw intrinsicFailure(.arrayGetItem, "the index \(index) is out of bounds for an array of \(array.count) element(s)")
        }
        return array[index]
    }

    func arrayUnique(_ values: [JSON]) -> JSON {
        var seen = Set<JSON>()
        var result: [JSON] = []
        for element in values[0].arrayValue! where seen.insert(element).inserted {
            result.append(element)
        }
        return .array(result)
    }
}

/// An integral JSON number as an `Int` (`3` and `3.0`); nil for anything else.
func integer(_ value: JSON) -> Int? {
    guard case .number(let n) = value, n.isIntegral else { return nil }
    return n.exactInt
}
