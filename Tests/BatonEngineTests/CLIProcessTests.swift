// The operator CLI and `baton coordinator` as real processes (the built .build/debug/baton), against the
// suite's database: create-state-machine, start-execution, describe-execution, get-execution-history, a
// coordinator process with a `baton worker --exec` process, and `baton run --database … --embedded`
// printing the same JSON as the local `baton run`.
import BatonEngine
import BatonJSON
import BatonPostgres
import BatonTestSupport
import Foundation
import Testing

@Suite("Engine CLI processes") struct CLIProcessTests {
    static let definition = """
        {"StartAt":"Double","States":{
          "Double":{"Type":"Task","Resource":"baton:function:double","Next":"Label"},
          "Label":{"Type":"Pass","Parameters":{"value.$":"$.v","who.$":"$$.Execution.Name"},"End":true}}}
        """
    static let doubler = #"python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"v": d["v"]*2}))'"#

    @Test func operatorCommandsWithCoordinatorAndWorkerProcesses() async throws {
        let h = try await EngineHarness.make(suite: "EngineCLIProcesses")
        defer { Task { await h.connection.close() } }
        let url = try h.url
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-engine-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let definitionFile = directory.appendingPathComponent("double.json")
        try Self.definition.write(to: definitionFile, atomically: true, encoding: .utf8)
        let inputFile = directory.appendingPathComponent("input.json")
        try #"{"v":21}"#.write(to: inputFile, atomically: true, encoding: .utf8)

        let created = try await runBaton(["create-state-machine", "--database", url, "--name", "double", "--definition", definitionFile.path])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "arn:aws:states:us-east-1:123456789012:stateMachine:double\n")

        let coordinator = try BatonProcess(["coordinator", "--database", url, "--poll-seconds", "1"])
        let worker = try BatonProcess(["worker", "--database", url, "--function", "double", "--exec", Self.doubler])
        let started = try await runBaton(["start-execution", "--database", url, "--state-machine", "double",
                                          "--input", inputFile.path, "--name", "first"])
        #expect(started.status == 0, "\(started.stderr)")
        let arn = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(arn == "arn:aws:states:us-east-1:123456789012:execution:double:first")
        let ended = try await h.waitForEnd(arn)
        #expect(ended.status == "SUCCEEDED")
        #expect(ended.output == #"{"value":42,"who":"first"}"#)

        let described = try await runBaton(["describe-execution", "--database", url, arn])
        let json = try JSON(parsing: described.stdout)
        #expect(json["status"] == "SUCCEEDED" && json["output"] == .string(#"{"value":42,"who":"first"}"#))
        let history = try await runBaton(["get-execution-history", "--database", url, arn, "--output", "json"])
        let types = try JSON(parsing: history.stdout)["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        #expect(types.first == "ExecutionStarted" && types.last == "ExecutionSucceeded" && types.contains("TaskSucceeded"))
        let tree = try await runBaton(["get-execution-history", "--database", url, arn])
        #expect(tree.stdout.contains("▶ Double (Task)") && tree.stdout.contains("✓ Label"))
        let missing = try await runBaton(["describe-execution", "--database", url, arn + "-nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("baton describe-execution: ExecutionDoesNotExist:") && missing.stderr.split(separator: "\n").count == 1)

        // SIGTERM stops both gracefully.
        coordinator.send(SIGTERM)
        worker.send(SIGTERM)
        #expect(try await coordinator.waitForExit() == 0)
        #expect(try await worker.waitForExit() == 0)
    }

    @Test func runWithDatabaseEmbeddedPrintsTheLocalRunnersJSON() async throws {
        let h = try await EngineHarness.make(suite: "EngineRunEmbedded")
        defer { Task { await h.connection.close() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-engine-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let definitionFile = directory.appendingPathComponent("double.json")
        try Self.definition.write(to: definitionFile, atomically: true, encoding: .utf8)
        let inputFile = directory.appendingPathComponent("input.json")
        try #"{"v":5}"#.write(to: inputFile, atomically: true, encoding: .utf8)
        let common = ["run", "--definition", definitionFile.path, "--input", inputFile.path, "--name", "same",
                      "--function", "double=\(Self.doubler)", "--events"]
        let local = try await runBaton(common)
        let distributed = try await runBaton(common + ["--database", try h.url, "--embedded"])
        #expect(local.status == 0 && distributed.status == 0, "\(distributed.stderr)")
        #expect(distributed.stdout == local.stdout)
    }
}

extension EngineHarness {
    /// The suite database's URL, for child processes.
    var url: String {
        get throws {
            let server = try #require(ProcessInfo.processInfo.environment[TestDatabase.urlVariable])
            let name = try #require(database.database)
            let slash = try #require(server.lastIndex(of: "/"))
            return String(server[..<slash]) + "/" + name
        }
    }
}

