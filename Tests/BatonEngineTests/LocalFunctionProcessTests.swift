// `baton run --function` processes (BatonLocal over BatonFunctions' Subprocess): results, Lambda-style errors,
// and a timeout that ends the task even when the shell forked a child that keeps the output pipes open.
import ASLCore
import BatonJSON
import BatonLocal
import BatonTestSupport
import Foundation
import Testing

@Suite("Local runner function processes") struct LocalFunctionProcessTests {
    static func run(_ command: String, timeoutSeconds: Int? = nil) async throws -> RunOutcome {
        let timeout = timeoutSeconds.map { #","TimeoutSeconds":\#($0)"# } ?? ""
        let definition = #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"baton:function:f"\#(timeout),"End":true}}}"#
        let runner = LocalRunner(machine: try StateMachine(definition: try JSON(parsing: definition)),
                                 options: LocalRunOptions(functions: ["f": command]))
        return await runner.run(input: try JSON(parsing: #"{"n":2}"#)).outcome
    }

    @Test func stdoutIsTheResult() async throws {
        let outcome = try await Self.run(#"read line; echo "{\"got\":$line}""#)
        guard case .succeeded(let output) = outcome else { Issue.record("not succeeded: \(outcome)"); return }
        #expect(output == (try JSON(parsing: #"{"got":{"n":2}}"#)))
    }

    @Test func lambdaStyleErrorAndStderrFallback() async throws {
        let named = try await Self.run(#"echo '{"errorType":"Custom","errorMessage":"bad"}'; exit 1"#)
        guard case .failed(let failure) = named else { Issue.record("not failed: \(named)"); return }
        #expect(failure.error == "Custom")
        let plain = try await Self.run("echo oops >&2; exit 3")
        guard case .failed(let other) = plain else { Issue.record("not failed: \(plain)"); return }
        #expect(other.error == "States.TaskFailed" && other.cause == "oops")
    }

    @Test func timeoutKillsForkedChildrenToo() async throws {
        // The shell forks a child that would keep the output pipes open for 300 s; the timeout must end the
        // task and kill the whole process group, child included (checked by its pid, not by a wall-clock
        // bound, which a loaded machine could break).
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("baton-forked-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let outcome = try await Self.run("sleep 300 & echo $! > \(pidFile.path); wait", timeoutSeconds: 1)
        guard case .failed(let failure) = outcome else { Issue.record("not failed: \(outcome)"); return }
        #expect(failure.error == "States.Timeout")
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(text), "no pid in \(pidFile.path)")
        try await waitUntil("the forked sleep (pid \(pid)) to be killed", timeout: .seconds(30)) { Self.isGone(pid) }
    }

    /// Whether `pid` no longer runs: no such process, or a zombie nobody has reaped yet.
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
