// Runs the official JSONata 2.0.6 test suite (../shared/jsonata-suite, outside the repository) through
// the public API, in-process, with the same rules as its runner (run-jsonata-suite), including the
// evaluation limits of the guarded cases. Fails when fewer cases pass than `jsonataSuiteFloor`.
import BatonJSON
import BatonTestSupport
import Foundation
import JSONata
import Testing

struct SuiteCase: Sendable {
    var name: String
    var object: JSONObject
    var directory: URL
}

func suiteRoot() -> URL {
    // Tests/JSONataTests/OfficialSuiteTests.swift -> package root -> ../shared/jsonata-suite
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/jsonata-suite")
}

func loadSuiteCases() throws -> [SuiteCase] {
    let groups = suiteRoot().appendingPathComponent("groups")
    var cases: [SuiteCase] = []
    let fm = FileManager.default
    for group in try fm.contentsOfDirectory(atPath: groups.path).sorted() {
        let dir = groups.appendingPathComponent(group)
        for file in try fm.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".json") {
            let stem = String(file.dropLast(5))
            let json = try JSON(parsing: try Data(contentsOf: dir.appendingPathComponent(file)))
            switch json {
            case .array(let items):
                for (i, item) in items.enumerated() {
                    if case .object(let o) = item { cases.append(SuiteCase(name: "\(group)/\(stem)[\(i)]", object: o, directory: dir)) }
                }
            case .object(let o):
                cases.append(SuiteCase(name: "\(group)/\(stem)", object: o, directory: dir))
            default: break
            }
        }
    }
    return cases
}

/// Runs one case; nil when it passes, otherwise why not.
func runSuiteCase(_ c: SuiteCase) -> String? {
    let o = c.object
    var text: String
    if case .string(let e)? = o["expr"] {
        text = e
    } else if case .string(let f)? = o["expr-file"],
              let t = try? String(contentsOf: c.directory.appendingPathComponent(f), encoding: .utf8) {
        text = t
    } else {
        return "no expression"
    }
    // Two cases hold a lone UTF-16 surrogate in a string literal, which the JSON reader turns into
    // U+FFFD; like run-jsonata-suite, pass it as the JSONata escape instead.
    if c.name.hasPrefix("function-encodeUrl") { text = text.replacingOccurrences(of: "\u{FFFD}", with: "\\uD800") }
    var input: JSON? = nil
    if let data = o["data"] {
        input = data
    } else if case .string(let name)? = o["dataset"] {
        let url = suiteRoot().appendingPathComponent("datasets/\(name).json")
        guard let d = try? Data(contentsOf: url), let j = try? JSON(parsing: d) else { return "dataset \(name) unreadable" }
        input = j
    }
    var bindings: [String: JSON] = [:]
    if case .object(let b)? = o["bindings"] { for (k, v) in b { bindings[k] = v } }
    var environment = JSONataEnvironment(now: Date(), randomSeed: 42)
    if let depth = o["depth"]?.intValue { environment.maximumDepth = depth }
    if let limit = o["timelimit"]?.intValue {
        // The limit is wall-clock time, there to stop runaway expressions (those cases expect U1001 or D1001).
        // A case that expects a result gets 20 times its limit, so a loaded machine does not fail it.
        let expectsError = o["code"] != nil || o["error"] != nil
        environment.timeLimit = .milliseconds(expectsError ? limit : 20 * limit)
    }
    let outcome: Result<JSON?, JSONataError>
    do throws(JSONataError) {
        let expr = try JSONataExpression(text)
        outcome = .success(try expr.evaluate(input: input, bindings: bindings, environment: environment))
    } catch {
        outcome = .failure(error)
    }
    if o["undefinedResult"]?.boolValue == true {
        if case .success(nil) = outcome { return nil }
        return "expected undefined, got \(outcome)"
    }
    if let expected = o["result"] {
        guard case .success(let got?) = outcome else { return "expected \(expected), got \(outcome)" }
        if o["unordered"]?.boolValue == true, case .array(let a) = expected, case .array(let b) = got {
            var rest = b
            for item in a {
                guard let i = rest.firstIndex(of: item) else { return "expected \(expected), got \(got)" }
                rest.remove(at: i)
            }
            return rest.isEmpty ? nil : "expected \(expected), got \(got)"
        }
        return got == expected ? nil : "expected \(expected), got \(got)"
    }
    let code = o["code"]?.stringValue ?? o["error"]?["code"]?.stringValue
    if let code {
        guard case .failure(let e) = outcome else { return "expected error \(code), got \(outcome)" }
        return e.code == code ? nil : "expected error \(code), got \(e.code)"
    }
    return "case has no expectation"
}

@Suite("Official JSONata 2.0.6 test suite")
struct OfficialSuiteTests {
    @Test("at least the recorded floor of cases passes")
    func suitePassRate() async throws {
        let cases = try loadSuiteCases()
        #expect(cases.count == 1625)
        // A minute of CPU-bound work: on a thread of its own, not one of the cooperative pool's (see onOwnThread).
        let failures: [String] = try await onOwnThread {
            cases.compactMap { c in runSuiteCase(c).map { "\(c.name): \($0)" } }
        }
        let passed = cases.count - failures.count
        for f in failures.prefix(50) { print("FAIL \(f)") }
        print("JSONata suite: \(passed) of \(cases.count) cases pass")
        #expect(passed >= jsonataSuiteFloor, "only \(passed) cases pass; the floor is \(jsonataSuiteFloor)")
    }
}
