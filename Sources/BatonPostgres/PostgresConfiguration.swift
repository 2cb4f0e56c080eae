// Where to connect. A configuration is libpq's list of connection keywords (host, port, user, password,
// dbname, sslmode, …), parsed by libpq itself (`PQconninfoParse`) so URLs and `key=value` strings mean
// exactly what they mean to psql. Keywords left out are filled in by libpq at connect time from its usual
// environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, ~/.pgpass, …). The password is kept only to connect and
// to scrub it from error text; every description of a configuration shows `***` in its place.
import CLibPQ
import Foundation

/// How to reach a PostgreSQL server: a `postgresql://` URL or a libpq `key=value` string, plus
/// whatever libpq reads from its environment for the keywords left out.
public struct PostgresConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable,
    Equatable
{
    /// The libpq connection keywords and values, in order (for example `host`, `port`, `dbname`).
    public private(set) var parameters: [(keyword: String, value: String)]

    /// Parses a `postgresql://user:pass@host:port/db?sslmode=…` URL (also `postgres://`) or a libpq
    /// conninfo string (`host=… port=… dbname=…`). An empty string means "libpq's defaults".
    public init(url: String) throws(PostgresError) {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let redacted = PostgresConfiguration.redact(trimmed)
        if let schemeEnd = trimmed.range(of: "://") {
            let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
            if scheme != "postgresql" && scheme != "postgres" {
                throw PostgresError(
                    kind: .invalidConfiguration,
                    message: "invalid database URL \(redacted): the scheme must be postgresql:// or postgres://, not \(scheme)://")
            }
        }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(trimmed, &errorMessage) else {
            var reason = "libpq could not parse it"
            if let errorMessage {
                reason = String(cString: errorMessage)
                PQfreemem(errorMessage)
            }
            reason = PostgresConfiguration.scrub(reason, secrets: PostgresConfiguration.passwordCandidates(in: trimmed))
            throw PostgresError(
                kind: .invalidConfiguration, message: "invalid database URL \(redacted): \(PostgresError.oneLine(reason))")
        }
        defer { PQconninfoFree(options) }
        var parsed: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parsed.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        self.parameters = parsed
        if let port = self["port"], port.split(separator: ",").contains(where: { UInt16($0) == nil }) {
            throw PostgresError(kind: .invalidConfiguration, message: "invalid database URL \(redacted): invalid port \"\(port)\"")
        }
    }

    /// A configuration with exactly these libpq keywords.
    public init(parameters: [(keyword: String, value: String)]) {
        self.parameters = parameters
    }

    /// The configuration named by `DATABASE_URL` when it is set, else an empty one that libpq completes
    /// from `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, … (read from `environment`).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PostgresError) -> PostgresConfiguration {
        if let url = environment["DATABASE_URL"], !url.trimmingCharacters(in: .whitespaces).isEmpty {
            return try PostgresConfiguration(url: url)
        }
        // libpq reads these from the process environment by itself; copying them from `environment`
        // makes an explicitly passed dictionary work too, and shows them in `redactedDescription`.
        let names: [(String, String)] = [
            ("PGHOST", "host"), ("PGHOSTADDR", "hostaddr"), ("PGPORT", "port"), ("PGDATABASE", "dbname"),
            ("PGUSER", "user"), ("PGPASSWORD", "password"), ("PGPASSFILE", "passfile"),
            ("PGSERVICE", "service"), ("PGOPTIONS", "options"), ("PGAPPNAME", "application_name"),
            ("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"), ("PGCONNECT_TIMEOUT", "connect_timeout"),
            ("PGTARGETSESSIONATTRS", "target_session_attrs"),
        ]
        var parameters: [(keyword: String, value: String)] = []
        for (variable, keyword) in names {
            if let value = environment[variable], !value.isEmpty { parameters.append((keyword, value)) }
        }
        return PostgresConfiguration(parameters: parameters)
    }

    /// The value of a libpq keyword (`host`, `port`, `dbname`, `user`, …) if it was given.
    public subscript(keyword: String) -> String? {
        parameters.last(where: { $0.keyword == keyword })?.value
    }

    /// The database name, if given.
    public var database: String? { self["dbname"] }
    /// The user name, if given.
    public var user: String? { self["user"] }
    /// The host (or unix-socket directory), if given.
    public var host: String? { self["host"] }
    /// The port, if given.
    public var port: Int? { self["port"].flatMap { Int($0) } }

    /// This configuration with `keyword` set to `value` (replacing any earlier value).
    public func setting(_ keyword: String, to value: String) -> PostgresConfiguration {
        var copy = self
        copy.parameters.removeAll { $0.keyword == keyword }
        copy.parameters.append((keyword, value))
        return copy
    }

    /// This configuration pointing at database `name` on the same server.
    public func withDatabase(_ name: String) -> PostgresConfiguration {
        setting("dbname", to: name)
    }

    /// This configuration with `application_name` set (shown in `pg_stat_activity`).
    public func withApplicationName(_ name: String) -> PostgresConfiguration {
        setting("application_name", to: name)
    }

    /// The configuration as a `postgresql://` URL with the password replaced by `***`.
    public var redactedDescription: String {
        var url = "postgresql://"
        if let user = self["user"] {
            url += percentEncode(user)
            if self["password"] != nil { url += ":***" }
            url += "@"
        } else if self["password"] != nil {
            url += ":***@"
        }
        var query: [(String, String)] = []
        var hostInQuery = false
        if let host = self["host"] {
            if host.hasPrefix("/") || host.contains(",") {
                query.append(("host", host))
                hostInQuery = true
            } else {
                url += host.contains(":") ? "[\(host)]" : host
            }
        }
        if let port = self["port"] {
            if hostInQuery { query.append(("port", port)) } else { url += ":" + port }
        }
        if let database = self["dbname"] { url += "/" + percentEncode(database) }
        for (keyword, value) in parameters where !["user", "password", "host", "port", "dbname"].contains(keyword) {
            query.append((keyword, value))
        }
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(percentEncode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// The same as `redactedDescription`: a configuration never prints its password.
    public var description: String { redactedDescription }

    /// The same as `redactedDescription`, for `String(reflecting:)` and debuggers.
    public var debugDescription: String { "PostgresConfiguration(\(redactedDescription))" }

    /// A mirror without the password, so `dump` and reflection do not reveal it either.
    public var customMirror: Mirror { Mirror(self, children: ["url": redactedDescription]) }

    /// Compares keywords and values in order.
    public static func == (lhs: PostgresConfiguration, rhs: PostgresConfiguration) -> Bool {
        lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.keyword == $1.keyword && $0.value == $1.value }
    }

    /// Secrets to scrub from any text derived from this configuration.
    var secrets: [String] { self["password"].map { [$0] } ?? [] }

    private func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `text` with every occurrence of each secret replaced by `***`.
    static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }

    /// A URL or conninfo string with its password replaced by `***`, without parsing it with libpq
    /// (used for strings libpq rejects).
    static func redact(_ text: String) -> String {
        scrub(text, secrets: passwordCandidates(in: text))
    }

    /// The password-looking parts of a URL (`user:PASSWORD@`) or conninfo string (`password=PASSWORD`).
    static func passwordCandidates(in text: String) -> [String] {
        var candidates: [String] = []
        if let schemeEnd = text.range(of: "://") {
            let rest = text[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let password = String(authority[authority.index(after: colon)..<at])
                if !password.isEmpty {
                    candidates.append(password)
                    if let decoded = password.removingPercentEncoding, decoded != password { candidates.append(decoded) }
                }
            }
            if let queryStart = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: queryStart)...].split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, parts[0] == "password", !parts[1].isEmpty {
                        candidates.append(String(parts[1]))
                        if let decoded = parts[1].removingPercentEncoding { candidates.append(decoded) }
                    }
                }
            }
        } else {
            var search = text[...]
            while let range = search.range(of: "password") {
                var index = range.upperBound
                while index < search.endIndex, search[index] == " " { index = search.index(after: index) }
                guard index < search.endIndex, search[index] == "=" else { search = search[range.upperBound...]; continue }
                index = search.index(after: index)
                while index < search.endIndex, search[index] == " " { index = search.index(after: index) }
                var value = ""
                if index < search.endIndex, search[index] == "'" {
                    index = search.index(after: index)
                    while index < search.endIndex, search[index] != "'" {
                        if search[index] == "\\" { index = search.index(after: index); if index == search.endIndex { break } }
                        value.append(search[index])
                        index = search.index(after: index)
                    }
                } else {
                    while index < search.endIndex, search[index] != " " {
                        value.append(search[index])
                        index = search.index(after: index)
                    }
                }
                if !value.isEmpty { candidates.append(value) }
                search = search[index...]
            }
        }
        return candidates.sorted { $0.count > $1.count }
    }
}
