// Bridges between `JSON` and `Codable` types, for workers whose functions take and return Swift types.
// Encoding goes through JSONTextEncoder (members in the order the type encodes them, its declaration order
// for synthesized conformances — JSONEncoder's order changed from one process to the next) and back through
// Baton's parser, so that integer exactness follows Baton's rules.

import Foundation

extension JSON {
    /// Encodes a `Codable` value as JSON.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSON(parsing: JSONTextEncoder().encode(value))
    }

    /// Decodes this JSON into a `Decodable` type.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(serializedBytes()))
    }
}
