// `baton run --function` processes (BatonLocal over BatonFunctions' Subprocess): results, Lambda-style errors,
// and a timeout that ends the task even when the shell forked a child that keeps the output pipes open.
import ASLCore
import BatonJSON
import BatonLocal
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
        let started = Date()
        let outcome = try await Self.run("sleep 30 & wait", timeoutSeconds: 1)
        guard case .failed(let failure) = outcome else { Issue.record("not failed: \(outcome)"); return }
        #expect(failure.error == "States.Timeout")
        #expect(Date().timeIntervalSince(started) < 15)
    }
}
