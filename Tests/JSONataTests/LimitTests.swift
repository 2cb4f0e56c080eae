// Evaluation bounds: depth, time and steps end in U1001, never in a crash, also on Swift's cooperative pool.
import BatonJSON
import JSONata
import Testing

@Suite("JSONata evaluation limits")
struct LimitTests {
    let deepRecursion = "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))"

    @Test("deep non-tail recursion ends in U1001 at the depth limit")
    func depth() {
        #expect(run(deepRecursion) == "error U1001")
        #expect(run("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100))", environment: JSONataEnvironment(maximumDepth: 250)) == "error U1001")
        #expect(run("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(2000))") == "2000")
    }

    @Test("deep recursion is safe on the cooperative thread pool")
    func cooperativePool() async {
        let result = await Task.detached { run("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(3000))") }.value
        #expect(result == "3000")
        let limited = await Task.detached { run(deepRecursion) }.value
        #expect(limited == "error U1001")
    }

    @Test("an endless tail-recursive loop ends at the time limit or the step budget")
    func runaway() {
        let loop = "($inf := function(){$inf()}; $inf())"
        #expect(run(loop, environment: JSONataEnvironment(timeLimit: .milliseconds(200))) == "error U1001")
        #expect(run(loop, environment: JSONataEnvironment(maximumSteps: 100_000)) == "error U1001")
    }

    @Test("an expression is parsed once and evaluated many times, also concurrently")
    func reuse() async throws {
        let expr = try JSONataExpression("items[price > 2].name")
        let input: JSON = ["items": [["name": "a", "price": 1], ["name": "b", "price": 3]]]
        try await withThrowingTaskGroup(of: JSON?.self) { group in
            for _ in 0..<8 { group.addTask { try expr.evaluate(input: input) } }
            for try await r in group { #expect(r == "b") }
        }
    }

    @Test("out-of-range numbers in functions give errors or results, never a trap", arguments: [
        ("$formatInteger(0/0, 'i')", "error D1001"), ("$pad('x', 1e300)", "error D1001"),
        ("$fromMillis(1e300)", "error D3110"), ("$formatBase(10, 0/0)", "error D3100"),
        ("$formatNumber(0, '0.0e0')", "\"0.0e0\""), ("$formatNumber(-5, '0.0e0')", "\"-5.0e0\""),
        ("$round(1.5, 1e300)", "null"), ("$formatInteger(1e300, 'a')", "\"avhlgfirxfecdc\""),
    ])
    func noTraps(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("errors carry code, message, position and token")
    func errorDetails() {
        do {
            _ = try JSONataExpression("1 + 'a'").evaluate(input: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "T2002")
            #expect(error.message == #"The right side of the "+" operator must evaluate to a number"#)
            #expect(error.token == "+")
            #expect(error.position != nil)
        }
    }
}
