// The coordinator's memo of decoded runs: it answers only for the exact state text it holds, and it stays
// within its byte budget, dropping the oldest entries first.
import ASLCore
@testable import BatonEngine
import BatonJSON
import Testing

@Suite struct RunCacheTests {
    private func run(_ input: JSON) throws -> (Run, String) {
        let run = Run(block: .root, kind: .execution, input: input)
        return (run, try RunCoding.encode(run))
    }

    @Test func aHitNeedsTheExactText() throws {
        let cache = RunCache()
        let (_, firstText) = try run(["n": 1])
        let (second, secondText) = try run(["n": 2])
        // Remember a run under a text it was not decoded from, to tell a hit from a decode.
        cache.remember(executionId: 7, text: firstText, run: second)
        #expect(try cache.run(executionId: 7, text: firstText).input == ["n": 2])  // the cached run
        // Another coordinator moved the execution on: the row's text differs, so it is decoded.
        #expect(try cache.run(executionId: 7, text: secondText).input == ["n": 2])
        #expect(try cache.run(executionId: 7, text: firstText).input == ["n": 1])  // decoded: the entry was replaced
        #expect(try cache.run(executionId: 8, text: firstText).input == ["n": 1])  // another execution: decoded
        // Bad text is an error, never an old run.
        #expect(throws: (any Error).self) { try cache.run(executionId: 7, text: "{") }
    }

    @Test func theBudgetEvictsTheOldestFirst() throws {
        let (one, text) = try run(["pad": .string(String(repeating: "x", count: 200))])
        let size = text.utf8.count
        let cache = RunCache(budget: size * 8)  // room for 8; a run of more than 1/8 of the budget is not kept
        for id in 0..<10 { cache.remember(executionId: Int64(id), text: text, run: one) }
        #expect(cache.cachedExecutionIds == Set((2..<10).map(Int64.init)))
        cache.forget(executionId: 5)
        #expect(cache.cachedExecutionIds == Set([2, 3, 4, 6, 7, 8, 9].map(Int64.init)))
        let (_, huge) = try run(["pad": .string(String(repeating: "x", count: size * 2))])
        cache.remember(executionId: 99, text: huge, run: one)
        #expect(!cache.cachedExecutionIds.contains(99))
    }
}
