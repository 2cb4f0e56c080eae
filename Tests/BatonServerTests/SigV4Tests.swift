// SigV4: the computation against AWS's published test-suite vectors (credentials AKIDEXAMPLE, 2015-08-30
// 12:36:00Z, us-east-1, service "service"), and the verifier's policy: unsigned, wrong secret, unknown key,
// outside the clock skew, tampered body, and a request signed by botocore itself.
import BatonJSON
import BatonServer
import Foundation
import Testing

@Suite struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let scope = SigV4Scope(date: "20150830", region: "us-east-1", service: "service")

    static func signature(_ request: SigV4Request, signed: [String]) -> String {
        let canonical = SigV4Signer.canonicalRequest(request, signedHeaders: signed, payloadHash: SigV4Signer.hexSHA256(request.body))
        let toSign = SigV4Signer.stringToSign(canonicalRequest: canonical, amzDate: "20150830T123600Z", scope: scope)
        return SigV4Signer.signature(stringToSign: toSign, secret: secret, scope: scope)
    }

    static func vanilla(_ method: String, path: String = "/", query: String = "", extra: [(name: String, value: String)] = [])
        -> SigV4Request
    {
        SigV4Request(
            method: method, path: path, query: query,
            headers: [("Host", "example.amazonaws.com")] + extra + [("X-Amz-Date", "20150830T123600Z")], body: [])
    }

    @Test func awsTestSuiteVectors() {
        #expect(Self.signature(Self.vanilla("GET"), signed: ["host", "x-amz-date"])
            == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(Self.signature(Self.vanilla("POST"), signed: ["host", "x-amz-date"])
            == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(Self.signature(Self.vanilla("GET", query: "Param2=value2&Param1=value1"), signed: ["host", "x-amz-date"])
            == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        #expect(Self.signature(Self.vanilla("POST", extra: [("My-Header1", "VALUE1")]), signed: ["host", "my-header1", "x-amz-date"])
            == "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")
        #expect(Self.signature(
            Self.vanilla("GET", extra: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")]),
            signed: ["host", "my-header1", "my-header2", "x-amz-date"])
            == "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
        #expect(Self.signature(
            Self.vanilla("GET", path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), signed: ["host", "x-amz-date"])
            == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    // MARK: The verifier

    static let signingTime = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    /// post-vanilla signed for the "states" service, as a verifier with the example key accepts it.
    static func signedRequest(secret: String = SigV4Tests.secret, body: String = "{}", accessKey: String = "AKIDEXAMPLE") -> SigV4Request {
        let scope = SigV4Scope(date: "20150830", region: "us-east-1", service: "states")
        var request = SigV4Request(
            method: "POST", path: "/", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            body: Array(body.utf8))
        let canonical = SigV4Signer.canonicalRequest(request, signedHeaders: ["host", "x-amz-date"], payloadHash: SigV4Signer.hexSHA256(request.body))
        let toSign = SigV4Signer.stringToSign(canonicalRequest: canonical, amzDate: "20150830T123600Z", scope: scope)
        let signature = SigV4Signer.signature(stringToSign: toSign, secret: secret, scope: scope)
        request.headers.append((
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(accessKey)/20150830/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(signature)"))
        return request
    }

    static let verifier = SigV4Verifier(credentials: CredentialStore(["AKIDEXAMPLE": secret]))

    static func refusal(_ request: SigV4Request, at now: Date = signingTime) -> APIError? {
        do {
            try verifier.verify(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAValidSignatureWithinTheSkew() throws {
        #expect(try Self.verifier.verify(Self.signedRequest(), now: Self.signingTime) == "AKIDEXAMPLE")
        #expect(try Self.verifier.verify(Self.signedRequest(), now: Self.signingTime.addingTimeInterval(299)) == "AKIDEXAMPLE")
        #expect(try Self.verifier.verify(Self.signedRequest(), now: Self.signingTime.addingTimeInterval(-299)) == "AKIDEXAMPLE")
    }

    @Test func refusesUnsigned() {
        var request = Self.signedRequest()
        request.headers.removeAll { $0.name == "Authorization" }
        let error = Self.refusal(request)
        #expect(error?.status == 403)
        #expect(error?.type == "MissingAuthenticationTokenException")
    }

    @Test func refusesAWrongSecret() {
        let error = Self.refusal(Self.signedRequest(secret: "not-the-secret"))
        #expect(error?.status == 403)
        #expect(error?.type == "InvalidSignatureException")
        #expect(error?.message.contains("not-the-secret") == false)
        #expect(error?.message.contains(Self.secret) == false)
    }

    @Test func refusesAnUnknownKey() {
        let error = Self.refusal(Self.signedRequest(accessKey: "AKIDUNKNOWN"))
        #expect(error?.status == 403)
        #expect(error?.type == "UnrecognizedClientException")
    }

    @Test func refusesAReplayOutsideTheSkew() {
        let late = Self.refusal(Self.signedRequest(), at: Self.signingTime.addingTimeInterval(301))
        #expect(late?.type == "InvalidSignatureException")
        #expect(late?.message.hasPrefix("Signature expired") == true)
        let early = Self.refusal(Self.signedRequest(), at: Self.signingTime.addingTimeInterval(-301))
        #expect(early?.type == "InvalidSignatureException")
        #expect(early?.message.hasPrefix("Signature not yet current") == true)
    }

    @Test func refusesATamperedBody() {
        var request = Self.signedRequest(body: #"{"name":"a"}"#)
        request.body = Array(#"{"name":"b"}"#.utf8)
        #expect(Self.refusal(request)?.type == "InvalidSignatureException")
        var declared = Self.signedRequest()
        declared.headers.append(("x-amz-content-sha256", SigV4Signer.hexSHA256(Array("other".utf8))))
        #expect(Self.refusal(declared)?.message.contains("x-amz-content-sha256") == true)
    }

    @Test func refusesMalformedHeaders() {
        var basic = Self.signedRequest()
        basic.headers.removeAll { $0.name == "Authorization" }
        basic.headers.append(("Authorization", "Basic dXNlcjpwYXNz"))
        #expect(Self.refusal(basic)?.type == "IncompleteSignatureException")
        var partial = Self.signedRequest()
        partial.headers.removeAll { $0.name == "Authorization" }
        partial.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/states/aws4_request"))
        let error = Self.refusal(partial)
        #expect(error?.type == "IncompleteSignatureException")
        #expect(error?.message.contains("'SignedHeaders'") == true)
    }

    /// botocore signs a StartExecution request (with its own clock); the verifier accepts it at the current time
    /// and refuses it once altered or ten minutes later.
    @Test func acceptsARequestSignedByBotocore() throws {
        let script = #"""
            import json, sys
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            body = json.dumps({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"})
            request = AWSRequest(method="POST", url="http://127.0.0.1:8083/", data=body, headers={
                "X-Amz-Target": "AWSStepFunctions.StartExecution",
                "Content-Type": "application/x-amz-json-1.0"})
            SigV4Auth(Credentials("AKIDBOTO", "boto-secret/with+chars"), "states", "eu-west-1").add_auth(request)
            print(json.dumps({"headers": dict(request.headers.items()), "body": body}))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with botocore must be installed")
        let signed = try JSON(parsing: Array(data))
        var headers: [(name: String, value: String)] = [("host", "127.0.0.1:8083")]
        for (name, value) in signed["headers"]?.objectValue ?? [:] { headers.append((name, value.stringValue ?? "")) }
        let body = Array((signed["body"]?.stringValue ?? "").utf8)
        let request = SigV4Request(method: "POST", path: "/", headers: headers, body: body)
        let verifier = SigV4Verifier(credentials: CredentialStore(["AKIDBOTO": "boto-secret/with+chars"]))
        #expect(try verifier.verify(request, now: Date()) == "AKIDBOTO")

        var tampered = request
        tampered.body = Array(#"{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"}"#.utf8)
        #expect(throws: APIError.self) { try verifier.verify(tampered, now: Date()) }
        #expect(throws: APIError.self) { try verifier.verify(request, now: Date().addingTimeInterval(600)) }
    }

    @Test func credentialFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("keys").path
        try "# team keys\nAKID1 secret1\n\nAKID2\tsecret2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let store = try CredentialStore.load(
            environment: ["BATON_ACCESS_KEY_ID": "AKID0", "BATON_SECRET_ACCESS_KEY": "secret0"], file: file)
        #expect(store.accessKeyIds == ["AKID0", "AKID1", "AKID2"])
        #expect(store.secret(for: "AKID2") == "secret2")
        #expect(!String(describing: store).contains("secret"))

        try "AKID1 secret1 extra\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerConfigurationError.self) { try CredentialStore.load(environment: [:], file: file) }
        #expect(throws: ServerConfigurationError.self) {
            try CredentialStore.load(environment: ["BATON_ACCESS_KEY_ID": "AKID0"], file: nil)
        }
    }
}
