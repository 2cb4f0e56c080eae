// A PostgreSQL cluster of a test's own, for tests that restart or stop the server. The cluster that
// scripts/test.sh starts is shared by every suite running at the same time, so restarting it would break the
// others; a test that restarts the server makes its own with the same binaries (BATON_TEST_PGBIN) and the
// same test-only settings, and restarts it with scripts/pg-restart.sh pointed at it.
//
// As root (the CI container) the server runs as the `postgres` OS user, as in scripts/test.sh.
import BatonPostgres
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster in a temporary directory, listening on a free loopback port.
public final class PrivateCluster: @unchecked Sendable {
    /// The temporary directory (data directory, socket, log).
    public let directory: URL
    /// The port it listens on.
    public let port: Int
    private let binaries: String

    /// The superuser URL of its `postgres` database.
    public var url: String { "postgresql://postgres@127.0.0.1:\(port)/postgres" }
    /// The superuser configuration of its `postgres` database.
    public var configuration: PostgresConfiguration { get throws { try PostgresConfiguration(url: url) } }

    private var dataDirectory: String { directory.appendingPathComponent("data").path }
    private var logFile: String { directory.appendingPathComponent("server.log").path }
    private static var isRoot: Bool { getuid() == 0 }

    private init(directory: URL, port: Int, binaries: String) {
        self.directory = directory
        self.port = port
        self.binaries = binaries
    }

    /// Creates and starts a cluster (initdb, then pg_ctl start on a free port, retried on another port if the
    /// chosen one was taken in the meantime).
    public static func start() async throws -> PrivateCluster {
        let binaries = ProcessInfo.processInfo.environment["BATON_TEST_PGBIN"] ?? "/usr/lib/postgresql/15/bin"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-private-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if isRoot { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory.path) }
        let data = directory.appendingPathComponent("data").path
        try await run(binaries + "/initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        for _ in 0..<5 {
            let port = Int.random(in: 20000..<50000)
            let settings = """
                listen_addresses = '127.0.0.1'
                port = \(port)
                unix_socket_directories = '\(directory.path)'
                max_connections = 100
                fsync = off
                full_page_writes = off
                log_min_messages = warning
                """
            try settings.write(toFile: data + "/postgresql.auto.conf", atomically: false, encoding: .utf8)
            let cluster = PrivateCluster(directory: directory, port: port, binaries: binaries)
            if (try? await run(binaries + "/pg_ctl", ["-D", data, "-l", cluster.logFile, "-w", "-t", "60", "start"])) != nil {
                return cluster
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw TestSupportError("a private PostgreSQL cluster would not start in \(directory.path)")
    }

    /// Runs `body` with a new cluster, destroyed afterwards whatever happens.
    public static func with<T>(_ body: (PrivateCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let value = try await body(cluster)
            await cluster.destroy()
            return value
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    /// Restarts the server (a fast shutdown: clients see their connections terminated) and waits until it
    /// accepts connections again, with scripts/pg-restart.sh.
    public func restart() async throws { try await control("restart") }

    /// Stops the server (a fast shutdown) and waits until it is down.
    public func stop() async throws { try await control("stop") }

    /// Starts the stopped server and waits until it accepts connections.
    public func start() async throws { try await control("start") }

    private func control(_ action: String) async throws {
        try await Self.run(
            BatonProcess.packageRoot.appendingPathComponent("scripts/pg-restart.sh").path, [action], asServerUser: false,
            environment: ["BATON_TEST_PGDATA": dataDirectory, "BATON_TEST_PGBIN": binaries, "BATON_TEST_PGLOG": logFile])
    }

    /// Stops the server at once and deletes its directory.
    public func destroy() async {
        _ = try? await Self.run(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// The end of the server log, for failure messages.
    public var logTail: String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// Runs a tool to its end (as the server's OS user when root and `asServerUser`); throws on a non-zero exit.
    /// With `system(3)` on a thread of its own, not Foundation's `Process`: Process notices a child's exit
    /// only when every copy of a descriptor it hands the child is closed, and the server that pg_ctl starts
    /// keeps those copies, so `pg_ctl start` would never seem to end.
    private static func run(_ tool: String, _ arguments: [String], asServerUser: Bool = true,
                            environment: [String: String] = [:]) async throws {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("baton-pg-tool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var words = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        words = (words.isEmpty ? [] : ["env"] + words) + [tool] + arguments
        if isRoot && asServerUser { words = ["runuser", "-u", "postgres", "--"] + words }
        let command = words.map(shellQuoted).joined(separator: " ") + " >" + shellQuoted(outputFile.path) + " 2>&1 </dev/null"
        let status = try await onOwnThread { system(command) }
        guard status == 0 else {
            let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
            throw TestSupportError("\(tool) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text.suffix(1000))")
        }
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
