// The function library, one family per test.
import BatonJSON
import Foundation
import JSONata
import Testing

@Suite("JSONata functions")
struct FunctionTests {
    @Test("string functions", arguments: [
        ("$string(1/3)", "\"0.333333333333333\""), ("$string({'a': [1, true, null]})", #""{\"a\":[1,true,null]}""#),
        ("$string(1e-7)", "\"1e-7\""), ("$string(100000000000000000000000)", "\"1e+23\""),
        ("$substring('héllo wörld', 1, 4)", "\"éllo\""), ("$substring('abc', -2)", "\"bc\""),
        ("$substringBefore('a-b', '-')", "\"a\""), ("$substringAfter('a-b', '-')", "\"b\""),
        ("$length('😀ab')", "3"), ("$uppercase('abc')", "\"ABC\""), ("$trim('  a \n b ')", "\"a b\""),
        ("$pad('x', 3, '-')", "\"x--\""), ("$pad('x', -3)", "\"  x\""), ("$join(['a','b'], ',')", "\"a,b\""),
        ("$string(1/0)", "error D3001"), ("$string({'a': 1/0})", "error D1001"), ("$length(1)", "error T0410"),
    ])
    func strings(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("numeric and aggregation functions", arguments: [
        ("$number('0x1F')", "31"), ("$number('1e3')", "1000"), ("$number('abc')", "error D3030"),
        ("$round(2.5)", "2"), ("$round(3.5)", "4"), ("$round(1.255, 2)", "1.26"), ("$floor(-1.5)", "-2"),
        ("$ceil(1.1)", "2"), ("$abs(-3)", "3"), ("$power(2, 10)", "1024"), ("$sqrt(-1)", "error D3060"),
        ("$formatBase(255, 16)", "\"ff\""), ("$formatBase(1, 99)", "error D3100"),
        ("$sum([1,2,3])", "6"), ("$max([1,5,2])", "5"), ("$min([])", "undefined"), ("$average([1,2])", "1.5"),
        ("$count([])", "0"), ("$sum(['a'])", "error T0412"),
    ])
    func numbers(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("boolean, array and object functions", arguments: [
        ("$boolean([0, 1])", "true"), ("$boolean({})", "false"), ("$not('')", "true"), ("$exists($x)", "false"),
        ("$append([1], 2)", "[1,2]"), ("$reverse([1,2,3])", "[3,2,1]"), ("$distinct([1,1,'a','a'])", "[1,\"a\"]"),
        ("$sort([3,1,2])", "[1,2,3]"), ("$sort(['b','a'], function($l, $r){$l < $r})", "[\"b\",\"a\"]"),
        ("$zip([1,2],[3,4,5])", "[[1,3],[2,4]]"), ("$keys({'a':1,'b':2})", "[\"a\",\"b\"]"),
        ("$lookup({'a':1}, 'a')", "1"), ("$spread({'a':1,'b':2})", #"[{"a":1},{"b":2}]"#),
        ("$merge([{'a':1},{'b':2}])", #"{"a":1,"b":2}"#), ("$type([])", "\"array\""), ("$type(null)", "\"null\""),
        ("$sort([1,'a'])", "error D3070"), ("$error('boom')", "error D3137"), ("$assert(false, 'no')", "error D3141"),
    ])
    func collections(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("higher-order functions", arguments: [
        ("$map([1,2,3], function($v, $i){$v * $i})", "[0,2,6]"), ("$map([1,2], $string)", "[\"1\",\"2\"]"),
        ("$filter([1,2,3,4], function($v){$v % 2 = 0})", "[2,4]"), ("$single([1,2,3], function($v){$v = 2})", "2"),
        ("$single([1,2], function($v){true})", "error D3138"), ("$single([], function($v){true})", "error D3139"),
        ("$reduce([1,2,3,4], function($a, $b){$a + $b})", "10"), ("$reduce([1], function($a){$a})", "error D3050"),
        ("$each({'a':1}, function($v, $k){$k & $v})", "\"a1\""), ("$sift({'a':1,'b':2}, function($v){$v > 1})", #"{"b":2}"#),
    ])
    func higherOrder(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("date and time functions", arguments: [
        ("$fromMillis(1521801216617)", "\"2018-03-23T10:33:36.617Z\""),
        ("$fromMillis(1521801216617, '[D1o] [MNn] [Y] [h]:[m01][P]', '-0500')", "\"23rd March 2018 5:33am\""),
        ("$fromMillis(0, '[FNn], [Dwo] [MNn,3-3]')", "\"Thursday, first Jan\""),
        ("$toMillis('2018-03-23T10:33:36.617Z')", "1521801216617"), ("$toMillis('2018-03-23')", "1521763200000"),
        ("$toMillis('23/03/2018', '[D]/[M]/[Y]')", "1521763200000"), ("$toMillis('nonsense')", "error D3110"),
        ("$fromMillis(0, '[Q]')", "error D3132"), ("$fromMillis(0, '[Y')", "error D3135"),
    ])
    func dates(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("$now and $millis read the environment, $random its seed")
    func environment() {
        let env = JSONataEnvironment(now: Date(timeIntervalSince1970: 1_521_801_216.617), randomSeed: 7)
        #expect(run("$millis()", environment: env) == "1521801216617")
        #expect(run("$now()", environment: env) == "\"2018-03-23T10:33:36.617Z\"")
        #expect(run("$random()", environment: env) == run("$random()", environment: env))
        #expect(run("$random()", environment: env) != run("$random()", environment: JSONataEnvironment(randomSeed: 8)))
    }

    @Test("number and integer formatting", arguments: [
        ("$formatNumber(1234.5678, '#,##0.00')", "\"1,234.57\""), ("$formatNumber(0.14, '01%')", "\"14%\""),
        ("$formatNumber(1234.5, '0.0e0')", "\"1.2e3\""), ("$formatNumber(-6, '0;(0)')", "\"(6)\""),
        ("$formatNumber(1, '#.#.#')", "error D3081"),
        ("$formatInteger(1999, 'I')", "\"MCMXCIX\""), ("$formatInteger(123, 'w')", "\"one hundred and twenty-three\""),
        ("$formatInteger(3, '1;o')", "\"3rd\""), ("$formatInteger(1234567, '#,##0')", "\"1,234,567\""),
        ("$formatInteger(28, 'A')", "\"AB\""), ("$parseInteger('MCMXCIX', 'I')", "1999"),
        ("$parseInteger('one thousand and one', 'w')", "1001"), ("$parseInteger('1,234', '#,##0')", "1234"),
    ])
    func formatting(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("URL and base64 encoding", arguments: [
        ("$encodeUrlComponent('a b&c')", "\"a%20b%26c\""), ("$encodeUrl('http://x/a b?q=1')", "\"http://x/a%20b?q=1\""),
        ("$decodeUrlComponent('a%20b')", "\"a b\""), ("$decodeUrl('%E0%A4%A')", "error D3140"),
        ("$base64encode('hello')", "\"aGVsbG8=\""), ("$base64decode('aGVsbG8=')", "\"hello\""),
        ("$eval('1 + 2')", "3"), ("$eval('1 +')", "error D3120"),
    ])
    func encoding(_ expr: String, _ expected: String) { #expect(run(expr) == expected) }

    @Test("extra functions from the environment")
    func extraFunctions() {
        var env = JSONataEnvironment()
        env.extraFunctions["double"] = JSONataNativeFunction(signature: "<n:n>") { args in
            guard let n = args.first??.doubleValue else { return nil }
            return .double(n * 2)
        }
        #expect(run("$double(21)", environment: env) == "42")
        #expect(run("$double('x')", environment: env) == "error T0410")
    }
}
