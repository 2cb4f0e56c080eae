// ResultPath: placing a value inside a document. AWS creates missing objects along the way
// (`$.a.b` into `{}` gives `{"a":{"b":…}}`) and fails with States.ResultPathMatchFailure when the
// path runs into something that is not an object (or an array index that does not exist).
// The walk is checked first without touching anything, then done in place: each level is taken
// out of its parent before it is changed, so an unshared document is never copied.

import BatonJSON

extension Path {
    /// ResultPath semantics: `document` with `value` placed at this reference path (`$` replaces
    /// the whole document). Throws `States.ResultPathMatchFailure` when the path cannot be applied.
    public func setting(_ value: JSON, in document: JSON) throws(ASLError) -> JSON {
        var result = document
        try set(value, in: &result)
        return result
    }

    /// Places `value` at this reference path inside `document`, in place.
    public func set(_ value: JSON, in document: inout JSON) throws(ASLError) {
        guard root == .input, isReferencePath else {
            throw ASLError(.resultPathMatchFailure, "Unable to apply ReferencePath \(text) to input \(document.serialized()): a result path must be a reference path on '$'")
        }
        guard Self.canPlace(in: document, segments[...]) else {
            throw ASLError(.resultPathMatchFailure, "Unable to apply ReferencePath \(text) to input \(document.serialized())")
        }
        Self.place(value, in: &document, segments[...])
    }

    private static func canPlace(in node: JSON?, _ segments: ArraySlice<PathSegment>) -> Bool {
        guard let first = segments.first else { return true }
        let rest = segments.dropFirst()
        let key: String
        switch first {
        case .member(let name): key = name
        case .members(let names) where names.count == 1: key = names[0]
        case .index(let i):
            guard case .array(let array)? = node, array.indices.contains(i) else { return false }
            return canPlace(in: array[i], rest)
        default: return false
        }
        // A missing member is created as an object, so only more members may follow it.
        guard let node else { return rest.allSatisfy { if case .member = $0 { true } else { false } } }
        guard case .object(let object) = node else { return false }
        return canPlace(in: object[key], rest)
    }

    private static func place(_ value: JSON, in node: inout JSON, _ segments: ArraySlice<PathSegment>) {
        guard let first = segments.first else {
            node = value
            return
        }
        let rest = segments.dropFirst()
        switch first {
        case .member(let key):
            var object: JSONObject
            if case .object(let existing) = node { object = existing } else { object = [:] }
            node = .null  // drop the enum's reference so `object` is uniquely owned
            if rest.isEmpty {
                object[key] = value
            } else {
                var child = object[key] ?? .object([:])
                if object[key] != nil { object[key] = .null }
                place(value, in: &child, rest)
                object[key] = child
            }
            node = .object(object)
        case .members(let keys):
            place(value, in: &node, [PathSegment.member(keys[0])] + rest)
        case .index(let i):
            guard case .array(var array) = node else { return }
            node = .null
            var child = array[i]
            array[i] = .null
            place(value, in: &child, rest)
            array[i] = child
            node = .array(array)
        default:
            return
        }
    }
}
