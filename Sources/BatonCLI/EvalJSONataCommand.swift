import ArgumentParser
import BatonJSON
import Foundation
import JSONata

/// `baton eval-jsonata`: evaluates one JSONata expression and prints one JSON object:
/// `{"result": …}`, `{"undefined": true}` or `{"error": {"code": …, "message": …}}`.
struct EvalJSONataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-jsonata",
        abstract: "Evaluate a JSONata expression against a JSON input.",
        discussion: """
            Prints one JSON object on stdout: {"result": …}, {"undefined": true} or \
            {"error": {"code": …, "message": …}}. $now() and $millis() read the current time once.
            """
    )

    @Option(help: "A file holding the expression text (UTF-8).")
    var expression: String

    @Option(help: "A file holding the input document (JSON). Without it the expression has no input.")
    var input: String?

    @Option(help: "A file holding a JSON object of variable bindings (names without $).")
    var bindings: String?

    @Option(help: "Fail with U1001 when evaluation runs longer than this many milliseconds.")
    var timelimit: Int = 10_000

    @Option(help: "Fail with U1001 when evaluation nests deeper than this.")
    var depth: Int?

    @Option(help: "Evaluate this many times and report evaluations per second on stderr (for benchmarks).")
    var repeatCount: Int?

    func run() throws {
        print(evaluate().serialized())
    }

    private func evaluate() -> JSON {
        let text: String
        var inputValue: JSON? = nil
        var vars: [String: JSON] = [:]
        do {
            text = try String(contentsOfFile: expression, encoding: .utf8)
            if let input { inputValue = try JSON(parsing: try Data(contentsOf: URL(fileURLWithPath: input))) }
            if let bindings {
                let parsed = try JSON(parsing: try Data(contentsOf: URL(fileURLWithPath: bindings)))
                guard case .object(let o) = parsed else { return failure("BATON", "the bindings file must hold a JSON object") }
                for (k, v) in o { vars[k] = v }
            }
        } catch {
            return failure("BATON", "\(error)")
        }
        var environment = JSONataEnvironment(now: Date(), randomSeed: UInt64.random(in: 0...UInt64.max))
        if let depth { environment.maximumDepth = depth }
        environment.timeLimit = .milliseconds(timelimit)
        do throws(JSONataError) {
            let expr = try JSONataExpression(text)
            if let repeatCount, repeatCount > 0 {
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<repeatCount { _ = try expr.evaluate(input: inputValue, bindings: vars, environment: environment) }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                FileHandle.standardError.write(Data("\(repeatCount) evaluations in \(seconds) s: \(Int(Double(repeatCount) / seconds)) evaluations/s\n".utf8))
            }
            guard let result = try expr.evaluate(input: inputValue, bindings: vars, environment: environment) else {
                return ["undefined": true]
            }
            return ["result": result]
        } catch {
            var object: JSONObject = ["code": .string(error.code), "message": .string(error.message)]
            if let position = error.position { object["position"] = .int(position) }
            if let token = error.token { object["token"] = .string(token) }
            if let value = error.value { object["value"] = .string(value) }
            return .object(["error": .object(object)])
        }
    }

    private func failure(_ code: String, _ message: String) -> JSON {
        .object(["error": .object(["code": .string(code), "message": .string(message)])])
    }
}
