// Field-level decoding of an operation's input against the constraints of the Step Functions service model
// (botocore's service-2.json): required members, JSON types, string lengths, integer ranges, enums. A
// violation is a ValidationException whose message follows AWS's wording ("Value '…' at 'name' failed to
// satisfy constraint: …") and always names the field. Members the model does not define are ignored, as
// AWS's JSON protocol does.
import BatonJSON

/// An operation's input object, read field by field with the model's constraints.
public struct RequestFields: Sendable {
    /// The input members.
    public let members: JSONObject

    /// Reads `members`.
    public init(_ members: JSONObject) {
        self.members = members
    }

    /// A required string of `min`…`max` characters.
    public func requiredString(_ name: String, min: Int = 1, max: Int? = nil) throws(APIError) -> String {
        guard let value = try string(name, min: min, max: max) else {
            throw APIError.validation(
                "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    /// An optional string of `min`…`max` characters (`null` counts as absent).
    public func string(_ name: String, min: Int = 0, max: Int? = nil) throws(APIError) -> String? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .string(let text) = value else { throw typeError(name, expected: "a string", got: value) }
        let length = text.count
        if length < min {
            throw constraint(
                name, text, "Member must have length greater than or equal to \(min)")
        }
        if let max, length > max {
            throw constraint(name, text, "Member must have length less than or equal to \(max)")
        }
        return text
    }

    /// An optional string that must be one of `allowed`.
    public func enumeration(_ name: String, _ allowed: [String]) throws(APIError) -> String? {
        guard let value = try string(name) else { return nil }
        guard allowed.contains(value) else {
            throw constraint(name, value, "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
        return value
    }

    /// An optional integer in `min`…`max`.
    public func integer(_ name: String, min: Int? = nil, max: Int? = nil) throws(APIError) -> Int? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .number(let number) = value, let int = number.exactInt else {
            throw typeError(name, expected: "an integer", got: value)
        }
        if let min, int < min {
            throw constraint(name, String(int), "Member must have value greater than or equal to \(min)")
        }
        if let max, int > max {
            throw constraint(name, String(int), "Member must have value less than or equal to \(max)")
        }
        return int
    }

    /// An optional number in `min`…`max`.
    public func double(_ name: String, min: Double? = nil, max: Double? = nil) throws(APIError) -> Double? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .number(let number) = value else { throw typeError(name, expected: "a number", got: value) }
        let double = number.doubleValue
        if let min, double < min {
            throw constraint(name, value.serialized(), "Member must have value greater than or equal to \(min)")
        }
        if let max, double > max {
            throw constraint(name, value.serialized(), "Member must have value less than or equal to \(max)")
        }
        return double
    }

    /// An optional boolean.
    public func boolean(_ name: String) throws(APIError) -> Bool? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw typeError(name, expected: "a boolean", got: value) }
        return flag
    }

    /// An optional list of objects.
    public func objectList(_ name: String) throws(APIError) -> [JSONObject]? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .array(let elements) = value else { throw typeError(name, expected: "a list", got: value) }
        var objects: [JSONObject] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element else {
                throw typeError("\(name).\(index + 1)", expected: "a structure", got: element)
            }
            objects.append(object)
        }
        return objects
    }

    /// An optional list of strings, each `min`…`max` characters.
    public func stringList(_ name: String, min: Int = 0, max: Int? = nil) throws(APIError) -> [String]? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .array(let elements) = value else { throw typeError(name, expected: "a list", got: value) }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            let member = RequestFields(["\(name).\(index + 1)": element])
            guard let text = try member.string("\(name).\(index + 1)", min: min, max: max) else {
                throw typeError("\(name).\(index + 1)", expected: "a string", got: element)
            }
            strings.append(text)
        }
        return strings
    }

    private func constraint(_ name: String, _ value: String, _ rule: String) -> APIError {
        let shown = value.count > 100 ? String(value.prefix(100)) + "…" : value
        return APIError.validation(
            "1 validation error detected: Value '\(shown)' at '\(name)' failed to satisfy constraint: \(rule)")
    }

    private func typeError(_ name: String, expected: String, got value: JSON) -> APIError {
        APIError.validation("1 validation error detected: '\(name)' must be \(expected), not \(value.typeName)")
    }
}
