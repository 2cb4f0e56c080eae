// The `baton` executable as a child process, for end-to-end tests. Output goes to temporary files (read them
// at any time); exit is observed through the termination handler and waited for by polling with a deadline.
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `baton …` as a child process whose output goes to temporary files.
public final class BatonProcess: @unchecked Sendable {
    /// The package root (found from this file's path).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The debug `baton` binary that `scripts/test.sh` builds.
    public static var binary: URL { packageRoot.appendingPathComponent(".build/debug/baton") }

    /// The running process.
    public let process = Process()
    /// Where its stdout and stderr files are.
    public let directory: URL
    private let exited = LockedStatus()

    /// Starts `baton ARGUMENTS` (without `DATABASE_URL` from the test's environment: pass `--database`).
    public init(_ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw TestSupportError("\(Self.binary.path) is missing: build it with `swift build` (scripts/test.sh does)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let exited = self.exited
        process.terminationHandler = { exited.set($0.terminationStatus) }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }
    /// The exit status, once it has exited.
    public var exitStatus: Int32? { exited.value }
    /// What it wrote to stdout so far.
    public var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    /// What it wrote to stderr so far.
    public var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit; returns its status.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        try await waitUntil("baton \(process.arguments?.first ?? "") (pid \(pid)) to exit", timeout: timeout,
                            poll: .milliseconds(20)) { self.exitStatus != nil }
        return exitStatus!
    }
}

/// Runs `baton ARGUMENTS` to its end and returns its status and output.
public func runBaton(_ arguments: [String], timeout: Duration = .seconds(60)) async throws
    -> (status: Int32, stdout: String, stderr: String)
{
    let child = try BatonProcess(arguments)
    let status = try await child.waitForExit(timeout: timeout)
    return (status, child.stdout, child.stderr)
}

/// A process's exit status, set from its termination handler and read by the waiting test.
public final class LockedStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?
    public init() {}
    /// The status, once set.
    public var value: Int32? { lock.withLock { status } }
    /// Records the status.
    public func set(_ value: Int32) { lock.withLock { status = value } }
}
