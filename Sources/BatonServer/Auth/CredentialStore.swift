// The access keys the server accepts: one pair from BATON_ACCESS_KEY_ID / BATON_SECRET_ACCESS_KEY, and/or a
// file of pairs (one `ACCESS_KEY_ID SECRET_ACCESS_KEY` per line, `#` comments and blank lines ignored).
// Secrets are never printed: the store's descriptions list key ids only.
import Foundation

/// The access keys this server accepts, by access key id.
public struct CredentialStore: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let secrets: [String: String]

    /// A store holding `pairs` (access key id → secret access key).
    public init(_ pairs: [String: String]) {
        self.secrets = pairs
    }

    /// The secret of `accessKeyId`, or nil when the key is unknown.
    public func secret(for accessKeyId: String) -> String? { secrets[accessKeyId] }

    /// How many keys there are.
    public var count: Int { secrets.count }

    /// The access key ids (never the secrets).
    public var accessKeyIds: [String] { secrets.keys.sorted() }

    public var description: String { "CredentialStore(\(accessKeyIds.joined(separator: ", ")))" }
    public var debugDescription: String { description }

    /// Keys from the environment (`BATON_ACCESS_KEY_ID` and `BATON_SECRET_ACCESS_KEY`) and from `file`, when
    /// given. Throws when only one of the two variables is set or the file is unreadable or malformed.
    public static func load(environment: [String: String], file: String?) throws -> CredentialStore {
        var pairs: [String: String] = [:]
        let id = environment["BATON_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["BATON_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (let id?, let secret?): pairs[id] = secret
        case (nil, nil): break
        case (_?, nil): throw ServerConfigurationError("BATON_ACCESS_KEY_ID is set but BATON_SECRET_ACCESS_KEY is not")
        case (nil, _?): throw ServerConfigurationError("BATON_SECRET_ACCESS_KEY is set but BATON_ACCESS_KEY_ID is not")
        }
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ServerConfigurationError("cannot read the credentials file \(file): \(error.localizedDescription)")
            }
            for (number, pair) in try parse(text, fileName: file) {
                if pairs[pair.0] != nil {
                    throw ServerConfigurationError("\(file):\(number): access key id \(pair.0) appears twice")
                }
                pairs[pair.0] = pair.1
            }
        }
        return CredentialStore(pairs)
    }

    /// The pairs in a credentials file's text, with their line numbers.
    static func parse(_ text: String, fileName: String) throws -> [(Int, (String, String))] {
        var result: [(Int, (String, String))] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 2 else {
                throw ServerConfigurationError(
                    "\(fileName):\(index + 1): expected `ACCESS_KEY_ID SECRET_ACCESS_KEY` (two fields separated by blanks), found \(fields.count) field(s)")
            }
            result.append((index + 1, (fields[0], fields[1])))
        }
        return result
    }
}

/// A server setting that is missing or wrong; the message says which and how to fix it.
public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
