import ASLChoice
import Testing

@Suite("StringMatches patterns")
struct StringPatternTests {
    @Test("matches", arguments: [
        ("log-*.txt", "log-1.txt", true),
        ("log-*.txt", "log-.txt", true),
        ("log-*.txt", "log-a.b.txt", true),
        ("log-*.txt", "log-1.txt.gz", false),
        ("log-*.txt", "xlog-1.txt", false),
        ("*", "", true),
        ("*", "anything", true),
        ("", "", true),
        ("", "a", false),
        ("a**b", "ab", true),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("*a*a*a*b", "xaxaxab", true),
        ("exact", "exact", true),
        ("exact", "Exact", false),
        (#"a\*b"#, "a*b", true),
        (#"a\*b"#, "axb", false),
        (#"a\\b"#, #"a\b"#, true),
        (#"a\\*"#, #"a\anything"#, true),
        (#"a\\*"#, "aanything", false),
        (#"a\b"#, #"a\b"#, true),
        ("h*llo wörld", "héllo wörld", true),
        ("*é", "cafe\u{301}", false),
    ])
    func matches(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(StringPattern(pattern).matches(text) == expected)
    }
}
