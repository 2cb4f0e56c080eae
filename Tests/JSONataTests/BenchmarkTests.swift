// Throughput of representative expressions (issue 6's performance section). Runs only when
// BATON_BENCHMARK=1, best in release: `BATON_BENCHMARK=1 swift test -c release --filter JSONataBenchmark`.
// Results are recorded in docs/benchmarks.md.
import BatonJSON
import Foundation
import JSONata
import Testing

private func measure(_ name: String, _ text: String, _ input: JSON, seconds: Double = 1.0) throws -> Double {
    let expr = try JSONataExpression(text)
    _ = try expr.evaluate(input: input)
    let clock = ContinuousClock()
    var count = 0
    let start = clock.now
    var elapsed: Duration = .zero
    while true {
        for _ in 0..<50 { _ = try expr.evaluate(input: input) }
        count += 50
        elapsed = clock.now - start
        if elapsed > .seconds(seconds) { break }
    }
    let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(count) / secs
    print("BENCH \(name): \(Int(rate)) evaluations/s")
    return rate
}

@Suite("JSONataBenchmark", .enabled(if: ProcessInfo.processInfo.environment["BATON_BENCHMARK"] == "1"))
struct JSONataBenchmark {
    @Test func throughput() throws {
        let small: JSON = try JSON(parsing: #"{"Account":{"Order":[{"Product":"Hat","Price":34.45,"Quantity":2},{"Product":"Cloak","Price":107.99,"Quantity":1},{"Product":"Shoes","Price":21.5,"Quantity":3}]}}"#)
        var items: [JSON] = []
        for i in 0..<1000 {
            items.append(.object(["id": .int(i), "category": .string("c\(i % 10)"), "price": .double(Double(i) * 1.5)]))
        }
        let big: JSON = .object(["items": .array(items)])
        _ = try measure("simple path with predicate (small input)", "Account.Order[Price > 30].Product", small)
        _ = try measure("path with predicate over 1,000 elements", "items[price > 1000].id", big)
        _ = try measure("object constructor with grouping (1,000 elements)", "items{category: $sum(price)}", big)
        _ = try measure("$map with a lambda (1,000 elements)", "$map(items, function($v) { $v.price * 2 })", big)
        _ = try measure("$string/$number conversions", "$number($string(Account.Order[0].Price)) + $number(\"42\")", small)
    }
}
