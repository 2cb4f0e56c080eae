// Evaluating parsed paths. A definite path (members and single indices only) walks the document
// without collecting anything and, when it fails, says where in Jayway's words; an indefinite path
// collects every match in document order (Jayway's order: a deep scan visits a node, then its
// children).

import BatonJSON

/// The outcome of walking a definite path.
enum DefiniteOutcome {
    case found(JSON)
    /// Nothing at the end of the path (a missing last member or an index out of range).
    case missingLeaf
    /// A member before the last one is missing; the index is that segment's.
    case missingProperty(at: Int)
    /// A member was asked of something that is not an object.
    case notAnObject(at: Int, found: JSON)
    /// An index was asked of something that is not an array.
    case notAnArray(at: Int, found: JSON)
}

func selectDefinite(_ segments: [PathSegment], from start: JSON, root: JSON, scope: ExpressionScope?) -> DefiniteOutcome {
    var value = start
    let last = segments.count - 1
    for i in segments.indices {
        switch segments[i] {
        case .member(let name):
            guard case .object(let object) = value else { return .notAnObject(at: i, found: value) }
            guard let next = object[name] else { return i == last ? .missingLeaf : .missingProperty(at: i) }
            value = next
        case .members(let names) where names.count == 1:
            guard case .object(let object) = value else { return .notAnObject(at: i, found: value) }
            guard let next = object[names[0]] else { return i == last ? .missingLeaf : .missingProperty(at: i) }
            value = next
        case .index(let n):
            guard case .array(let array) = value else { return .notAnArray(at: i, found: value) }
            let index = n < 0 ? array.count + n : n
            guard array.indices.contains(index) else { return .missingLeaf }
            value = array[index]
        case .fromEnd(let n):
            guard case .array(let array) = value else { return .notAnArray(at: i, found: value) }
            let index = array.count - n
            guard array.indices.contains(index) else { return .missingLeaf }
            value = array[index]
        case .function(let function):
            guard let result = function.apply(to: value) else { return .missingLeaf }
            value = result
        default:
            // Not definite: callers only come here with definite segments.
            let matches = selectIndefinite(Array(segments[i...]), from: value, root: root, scope: scope)
            return .found(.array(matches))
        }
    }
    return .found(value)
}

func selectIndefinite(_ segments: [PathSegment], from start: JSON, root: JSON, scope: ExpressionScope?) -> [JSON] {
    var current: [JSON] = [start]
    var definiteSoFar = true
    for segment in segments {
        if case .function(let function) = segment {
            let argument: JSON? = definiteSoFar ? current.first : .array(current)
            guard let argument, let result = function.apply(to: argument) else { return [] }
            current = [result]
            definiteSoFar = true
            continue
        }
        var next: [JSON] = []
        for value in current { segment.select(from: value, root: root, scope: scope, into: &next) }
        current = next
        definiteSoFar = definiteSoFar && segment.isDefinite
    }
    return current
}

extension PathSegment {
    /// Appends what this segment selects from `value` to `out`.
    func select(from value: JSON, root: JSON, scope: ExpressionScope?, into out: inout [JSON]) {
        switch self {
        case .member(let name):
            if case .object(let object) = value, let v = object[name] { out.append(v) }
        case .members(let names):
            guard case .object(let object) = value else { return }
            if names.count == 1 {
                if let v = object[names[0]] { out.append(v) }
                return
            }
            var picked = JSONObject()
            for name in names { if let v = object[name] { picked[name] = v } }
            if !picked.isEmpty { out.append(.object(picked)) }
        case .index(let n):
            guard case .array(let array) = value else { return }
            let index = n < 0 ? array.count + n : n
            if array.indices.contains(index) { out.append(array[index]) }
        case .fromEnd(let n):
            guard case .array(let array) = value else { return }
            let index = array.count - n
            if array.indices.contains(index) { out.append(array[index]) }
        case .indices(let list):
            guard case .array(let array) = value else { return }
            for n in list {
                let index = n < 0 ? array.count + n : n
                if array.indices.contains(index) { out.append(array[index]) }
            }
        case .slice(let start, let end):
            guard case .array(let array) = value else { return }
            let count = array.count
            var from = start ?? 0
            var to = end ?? count
            if from < 0 { from = Swift.max(0, count + from) }
            if to < 0 { to = Swift.max(0, count + to) }
            to = Swift.min(to, count)
            if from < to { out.append(contentsOf: array[from..<to]) }
        case .wildcard:
            switch value {
            case .array(let array): out.append(contentsOf: array)
            case .object(let object): out.append(contentsOf: object.values)
            default: break
            }
        case .filter(let expression):
            switch value {
            case .array(let array):
                for element in array where expression.test(element, root: root, scope: scope) { out.append(element) }
            case .object:
                if expression.test(value, root: root, scope: scope) { out.append(value) }
            default: break
            }
        case .descendant(let inner):
            scan(value, with: inner, root: root, scope: scope, into: &out)
        case .function(let function):
            if let result = function.apply(to: value) { out.append(result) }
        }
    }

    private func scan(_ value: JSON, with inner: PathSegment, root: JSON, scope: ExpressionScope?, into out: inout [JSON]) {
        switch value {
        case .array(let array):
            inner.select(from: value, root: root, scope: scope, into: &out)
            for element in array { scan(element, with: inner, root: root, scope: scope, into: &out) }
        case .object(let object):
            inner.select(from: value, root: root, scope: scope, into: &out)
            for element in object.values { scan(element, with: inner, root: root, scope: scope, into: &out) }
        default:
            break
        }
    }
}

extension PathFunction {
    /// The function applied to `value`, or nil when it does not apply (Jayway raises an error there).
    func apply(to value: JSON) -> JSON? {
        switch self {
        case .length, .size:
            switch value {
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.count)
            case .string(let s): return .int(s.count)
            default: return nil
            }
        case .first: return value.arrayValue?.first
        case .last: return value.arrayValue?.last
        case .keys:
            guard case .object(let o) = value else { return nil }
            return .array(o.keys.map { .string($0) })
        case .min, .max, .sum, .avg, .stddev:
            guard case .array(let a) = value else { return nil }
            let numbers = a.compactMap(\.doubleValue)
            guard !numbers.isEmpty else { return nil }
            switch self {
            case .min: return .double(numbers.min()!)
            case .max: return .double(numbers.max()!)
            case .sum: return .double(numbers.reduce(0, +))
            case .avg: return .double(numbers.reduce(0, +) / Double(numbers.count))
            default:
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count)
                return .double(variance.squareRoot())
            }
        }
    }
}
