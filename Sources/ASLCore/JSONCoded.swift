// How runs and history events store JSON when they are encoded with `Codable`: as the compact JSON text,
// which keeps object key order and exact integers (a `jsonb` column would lose the order AWS shows).

import BatonJSON

/// Wraps a `JSON` property so that a `Codable` value stores it as its compact JSON text.
@propertyWrapper
public struct JSONCoded: Codable, Sendable, Hashable {
    /// The wrapped JSON value.
    public var wrappedValue: JSON

    /// Wraps `wrappedValue`.
    public init(wrappedValue: JSON) { self.wrappedValue = wrappedValue }

    /// Encodes the value as one string holding its JSON text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.serialized())
    }

    /// Decodes a string holding JSON text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        wrappedValue = try JSON(parsing: text)
    }
}

/// Wraps an optional `JSON` property; `nil` is encoded as a missing or null value, JSON `null` as `"null"`.
@propertyWrapper
public struct OptionalJSONCoded: Codable, Sendable, Hashable {
    /// The wrapped value.
    public var wrappedValue: JSON?

    /// Wraps `wrappedValue`.
    public init(wrappedValue: JSON?) { self.wrappedValue = wrappedValue }

    /// Encodes the JSON text, or null for `nil`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value.serialized()) } else { try container.encodeNil() }
    }

    /// Decodes a string holding JSON text, or null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { wrappedValue = nil; return }
        wrappedValue = try JSON(parsing: try container.decode(String.self))
    }
}

extension KeyedDecodingContainer {
    /// Lets an absent key decode as `nil` for `OptionalJSONCoded` properties.
    public func decode(_ type: OptionalJSONCoded.Type, forKey key: Key) throws -> OptionalJSONCoded {
        try decodeIfPresent(type, forKey: key) ?? OptionalJSONCoded(wrappedValue: nil)
    }
}
