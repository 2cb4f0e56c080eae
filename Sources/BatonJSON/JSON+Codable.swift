// Bridges between `JSON` and `Codable` types, for workers whose functions take and return Swift types.
// Encoding goes through Foundation's JSONEncoder and back through Baton's parser so that key order
// and integer exactness follow Baton's rules.

import Foundation

extension JSON {
    /// Encodes a `Codable` value as JSON.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSON(parsing: data)
    }

    /// Decodes this JSON into a `Decodable` type.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(serializedBytes()))
    }
}
