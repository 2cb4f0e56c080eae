// Bad replies from a `baton worker --exec` process, through a coordinator process: each ends the execution in
// the right ASL error, through the state's Catch where it has one, and none leaves an execution or a task
// stuck. The worker accepts results up to 1 MiB while the engine keeps AWS's 256 KiB, so an oversized result
// is tested at both limits (the worker's stdout limit, the engine's state-output limit).
import BatonEngine
import BatonJSON
import BatonTestSupport
import Foundation
import Testing

@Suite("Bad worker replies") struct BadWorkerReplyTests {
    /// The function: misbehaves as the task input says.
    static let script = #"""
        input=$(cat)
        case "$input" in
          *invalid*) echo 'this is not {json' ;;
          *overworker*) head -c 2000000 /dev/zero | tr '\0' 'a' ;;
          *overengine*) printf '"'; head -c 300000 /dev/zero | tr '\0' 'a'; printf '"' ;;
          *crash*) echo "gave up on $input" >&2; exit 3 ;;
          *nul*) printf 'a NUL \000 in the cause' >&2; exit 2 ;;
          *named*) echo '{"errorType":"Custom.Error","errorMessage":"it went wrong","stackTrace":[]}'; exit 1 ;;
          *signal*) kill -KILL $$ ;;
          *hang*) exec sleep 600 ;;
          *) printf '%s' "$input" ;;
        esac
        """#

    /// Only States.DataLimitExceeded is caught, so every other error fails the execution with its name.
    static let definition = """
        {"StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"baton:function:bad","TimeoutSeconds":4,
                  "Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"ResultPath":"$.caught","Next":"Caught"}],"End":true},
          "Caught":{"Type":"Pass","End":true}}}
        """

    @Test(.timeLimit(.minutes(3))) func eachBadReplyEndsInItsASLErrorAndNothingIsStuck() async throws {
        let h = try await EngineHarness.make(suite: "EngineBadReplies")
        defer { Task { await h.connection.close() } }
        let url = try h.url
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bad-\(UUID().uuidString).sh").path
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        try await h.createMachine("bad", Self.definition)
        let coordinator = try BatonProcess(["coordinator", "--database", url, "--poll-seconds", "1", "--log-level", "warning"])
        let worker = try BatonProcess(["worker", "--database", url, "--function", "bad", "--exec", "exec sh \(script)",
                                       "--concurrency", "8", "--payload-limit", "\(1 << 20)", "--poll-seconds", "1",
                                       "--lease-seconds", "5", "--log-level", "warning"])
        let cases = ["fine", "invalid", "overworker", "overengine", "crash", "nul", "named", "signal", "hang"]
        var arns: [String: String] = [:]
        for name in cases {
            arns[name] = try await h.executions.start(stateMachine: "bad", input: ["case": .string(name)], name: name, on: h.connection).arn
        }
        var ended: [String: ExecutionDescription] = [:]
        for name in cases { ended[name] = try await h.waitForEnd(arns[name]!, timeout: .seconds(60)) }

        #expect(ended["fine"]?.status == "SUCCEEDED" && ended["fine"]?.output == #"{"case":"fine"}"#)
        func expectFailure(_ name: String, _ error: String, causeContains cause: String?) {
            let execution = ended[name]
            #expect(execution?.status == "FAILED" && execution?.error == error, "\(name): \(String(describing: execution))")
            if let cause { #expect(execution?.cause?.contains(cause) == true, "\(name): cause \(execution?.cause ?? "nil")") }
        }
        expectFailure("invalid", "States.TaskFailed", causeContains: "not JSON")
        expectFailure("crash", "States.TaskFailed", causeContains: "gave up on")
        expectFailure("nul", "States.TaskFailed", causeContains: "a NUL")
        // A Lambda-style error object names the error; for a Baton function the cause is its errorMessage.
        expectFailure("named", "Custom.Error", causeContains: nil)
        #expect(ended["named"]?.cause == "it went wrong")
        expectFailure("signal", "States.TaskFailed", causeContains: "terminated by signal 9")
        expectFailure("hang", "States.Timeout", causeContains: nil)
        #expect(try await h.historyTypes(arns["hang"]!).contains("TaskTimedOut"))
        // Oversized results are States.DataLimitExceeded at either limit, and a Catch handles them.
        for name in ["overworker", "overengine"] {
            #expect(ended[name]?.status == "SUCCEEDED", "\(name): \(String(describing: ended[name]))")
            let output = try JSON(parsing: ended[name]?.output ?? "null")
            #expect(output["caught"]?["Error"] == "States.DataLimitExceeded", "\(name): \(output)")
            #expect(output["caught"]?["Cause"] == "The state/task 'Call' returned a result with a size exceeding the maximum number of bytes service limit.")
        }
        // Nothing is left: no task waits or runs, no timer is pending, and the worker survived every reply.
        #expect(try await h.count("SELECT count(*) FROM baton.tasks WHERE status IN ('available', 'running')") == 0)
        #expect(try await h.count("SELECT count(*) FROM baton.timers WHERE status = 'pending'") == 0)
        #expect(worker.exitStatus == nil, "the worker died: \(worker.stderr.suffix(1000))")
        worker.send(SIGTERM)
        coordinator.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(try await coordinator.waitForExit() == 0)
    }
}
