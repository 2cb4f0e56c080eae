// `baton server` as a real process in front of a real coordinator and worker (the built .build/debug/baton),
// driven by boto3 and the aws CLI through Tests/ServerScripts/lifecycle_boto3.py: the whole lifecycle with
// SigV4 on, unchanged clients but for the endpoint and keys. Needs the database of scripts/test.sh, python3
// with boto3 and the aws CLI.
import BatonPostgres
import BatonSchema
import BatonTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The three processes of a stack, for their logs when a script fails.
    struct Stack {
        let coordinator: ChildProcess
        let worker: ChildProcess
        let server: ChildProcess

        /// The last lines each process logged, to explain a failed script.
        var logs: String {
            [("server", server), ("coordinator", coordinator), ("worker", worker)]
                .map { "--- \($0.0) log:\n\($0.1.stderr.suffix(4000))" }.joined(separator: "\n")
        }
    }

    /// A migrated database with `baton coordinator`, `baton worker --function echo --exec cat` and `baton server`
    /// (SigV4 on) running on it; `body` gets the server's endpoint, the client environment and the processes.
    static func withStack(
        suite: String, _ body: (_ endpoint: String, _ environment: [String: String], _ stack: Stack) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create(suite: suite)
        let connection = try await PostgresConnection.connect(database, logger: TestDatabase.logger)
        _ = try await Migrator(logger: TestDatabase.logger).migrate(connection)
        await connection.close()
        let url = try Self.url(of: database)
        let environment = [
            "BATON_ACCESS_KEY_ID": "AKIDBATONTEST", "BATON_SECRET_ACCESS_KEY": "baton/test+secret",
            "BATON_WEBHOOK_SECRET": "webhook-secret",
        ]
        let hooks = FileManager.default.temporaryDirectory.appendingPathComponent("baton-webhooks-\(UUID().uuidString).yaml")
        try "webhooks:\n  github:\n    stateMachine: echo\n    secretEnv: BATON_WEBHOOK_SECRET\n"
            .write(to: hooks, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: hooks) }

        let coordinator = try ChildProcess(Self.binary, ["coordinator", "--database", url, "--poll-seconds", "1"])
        let worker = try ChildProcess(Self.binary, ["worker", "--database", url, "--function", "echo", "--exec", "cat"])
        let server = try ChildProcess(Self.binary, ["server", "--database", url, "--port", "0", "--webhooks", hooks.path], environment: environment)
        defer {
            for child in [server, worker, coordinator] { child.terminate() }
        }
        var port: Int?
        try await waitUntil("baton server to log its port", timeout: .seconds(60)) {
            if !server.isRunning { throw TestSupportError("baton server exited: \(server.stderr)") }
            port = Self.port(in: server.stderr)
            return port != nil
        }
        try await body("http://127.0.0.1:\(port!)", environment, Stack(coordinator: coordinator, worker: worker, server: server))
    }

    /// Runs a script of Tests/ServerScripts with python3 against `endpoint`; returns its exit status and child.
    static func runScript(
        _ name: String, endpoint: String, environment: [String: String], timeout: Duration
    ) async throws -> (Int32, ChildProcess) {
        let script = Self.packageRoot.appendingPathComponent("Tests/ServerScripts/\(name)").path
        let client = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script],
            environment: environment.merging(["BATON_ENDPOINT": endpoint]) { $1 })
        return (try await client.waitForExit(timeout: timeout), client)
    }

    @Test func lifecycleWithBoto3AndTheAWSCLI() async throws {
        try await Self.withStack(suite: "BatonServerEndToEnd") { endpoint, environment, stack in
            let (status, client) = try await Self.runScript(
                "lifecycle_boto3.py", endpoint: endpoint, environment: environment, timeout: .seconds(240))
            #expect(status == 0, "lifecycle_boto3.py failed:\n\(client.stderr)\n\(stack.logs)")
            #expect(client.stdout.contains("OK"))
        }
    }

    /// 1,000 StartExecution calls from 50 concurrent boto3 clients all succeed and all executions complete
    /// (the latencies it prints are recorded in docs/benchmarks.md, not asserted).
    @Test func thousandStartsFromFiftyClients() async throws {
        try await Self.withStack(suite: "BatonServerLoad") { endpoint, environment, stack in
            let (status, client) = try await Self.runScript(
                "load_start_executions.py", endpoint: endpoint, environment: environment, timeout: .seconds(600))
            #expect(status == 0, "load_start_executions.py failed:\n\(client.stderr)\n\(stack.logs)")
            #expect(client.stdout.contains("\"p99_ms\""))
            print("baton server load: \(client.stdout)")
        }
    }

    static var binary: URL { packageRoot.appendingPathComponent(".build/debug/baton") }

    /// The URL of `configuration`'s database on the test server.
    static func url(of configuration: PostgresConfiguration) throws -> String {
        guard let server = ProcessInfo.processInfo.environment[TestDatabase.urlVariable], let name = configuration.database,
            let slash = server.lastIndex(of: "/")
        else { throw TestSupportError("run with scripts/test.sh (\(TestDatabase.urlVariable) is not set)") }
        return String(server[..<slash]) + "/" + name
    }

    /// The port in the server's "listening on HOST:PORT" line.
    static func port(in log: String) -> Int? {
        guard let range = log.range(of: "baton server listening on ") else { return nil }
        let rest = log[range.upperBound...].prefix { $0 != "\n" && $0 != " " }
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        return Int(rest[rest.index(after: colon)...])
    }
}

/// A child process whose output goes to temporary files, killed when the test ends.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let directory: URL
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSupportError("\(executable.path) is missing: build it with `swift build` (scripts/test.sh does)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-server-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.terminationHandler = { [weak self] finished in
            guard let self else { return }
            self.lock.withLock { self.exitStatus = finished.terminationStatus }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    var isRunning: Bool { lock.withLock { exitStatus == nil } }
    var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    func terminate() {
        if isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await waitUntil("\(process.arguments?.joined(separator: " ") ?? "child") to exit", timeout: timeout) { !isRunning }
        return lock.withLock { exitStatus ?? -1 }
    }
}
