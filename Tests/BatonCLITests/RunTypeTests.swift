// `baton run --type` as a real process: an EXPRESS run's execution has AWS's express ARN (in `$$.Execution.Id`),
// a STANDARD one the usual ARN, and an unknown type or a type with --database is refused with a message.
import BatonTestSupport
import Foundation
import Testing

@Suite("baton run --type") struct RunTypeTests {
    static let echoId = #"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id"},"End":true}}}"#

    @Test func expressRunsGetExpressArns() async throws {
        let path = try ValidateCommandTests.file("id.json", Self.echoId)
        let express = try await runBaton(["run", "--definition", path, "--type", "EXPRESS", "--name", "quick"])
        #expect(express.status == 0, "\(express.stderr)")
        #expect(express.stdout.contains(#""id":"arn:aws:states:us-east-1:123456789012:express:baton-local:quick:"#), "\(express.stdout)")
        let standard = try await runBaton(["run", "--definition", path, "--name", "quick"])
        #expect(standard.stdout.contains(#""id":"arn:aws:states:us-east-1:123456789012:execution:baton-local:quick""#), "\(standard.stdout)")
    }

    @Test func badTypesAreRefused() async throws {
        let path = try ValidateCommandTests.file("id.json", Self.echoId)
        let unknown = try await runBaton(["run", "--definition", path, "--type", "QUICK"])
        #expect(unknown.status != 0 && unknown.stderr.contains("--type must be STANDARD or EXPRESS"), "\(unknown.stderr)")
        let distributed = try await runBaton(["run", "--definition", path, "--type", "EXPRESS", "--database", "postgresql://nowhere/db"])
        #expect(distributed.status != 0 && distributed.stderr.contains("--type is for local runs"), "\(distributed.stderr)")
    }
}
