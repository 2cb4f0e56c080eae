// The public face of the module: parse an expression once, evaluate it many times.
import BatonJSON
import Foundation

/// A parsed JSONata expression (JSONata 2.0.6 semantics), ready to evaluate any number of times.
///
/// ```swift
/// let expr = try JSONataExpression("Account.Order[Price > 30].Product")
/// let result = try expr.evaluate(input: document)   // nil = undefined
/// ```
public struct JSONataExpression: Sendable {
    /// The expression text.
    public let text: String
    let root: Node

    /// Parses `text`; throws a JSONata `S0xxx` error for bad syntax.
    public init(_ text: String) throws(JSONataError) {
        self.text = text
        self.root = try Parser.parse(text)
    }

    /// Evaluates the expression against `input` (nil: no input) with variables `bindings` (names without `$`).
    /// Returns nil when the result is undefined.
    public func evaluate(
        input: JSON?, bindings: [String: JSON] = [:], environment: JSONataEnvironment = .init()
    ) throws(JSONataError) -> JSON? {
        let value = input.map(JValue.init(json:))
        var vars: [String: JValue] = [:]
        for (k, v) in bindings { vars[k] = JValue(json: v) }
        return try evaluateValue(value, bindings: vars, environment: environment).map { $0.toJSON() }
    }

    func evaluateValue(_ input: JValue?, bindings: [String: JValue], environment: JSONataEnvironment) throws(JSONataError) -> JValue? {
        var extras: [String: JFunction] = [:]
        for (name, f) in environment.extraFunctions { extras[name] = f.makeFunction(name: name) }
        let evaluator = Evaluator(environment: environment, extras: extras)
        let frame = Frame(parent: nil)
        for (k, v) in bindings { frame.bind(k, v) }
        frame.bind("$", input)
        var top = input
        if let input, case .array(let a) = input, !a.isSequence {
            let wrapper = JArray([input], sequence: true)
            wrapper.outerWrapper = true
            top = .array(wrapper)
        }
        return try evaluator.eval(root, top, frame)
    }
}

/// What an evaluation may depend on besides its input: the time, a random seed, limits and extra functions.
/// JSONata evaluation is pure: `$now()` and `$millis()` read `now`, `$random()` and `$shuffle()` draw from `randomSeed`.
public struct JSONataEnvironment: Sendable {
    /// The instant `$now()` and `$millis()` report.
    public var now: Date
    /// The seed of `$random()` and `$shuffle()`.
    public var randomSeed: UInt64
    /// How deeply evaluation may nest (one level per expression node being evaluated) before failing with `U1001`.
    public var maximumDepth: Int
    /// How long an evaluation may run before failing with `U1001`; nil for no limit.
    public var timeLimit: Duration?
    /// How many expression nodes an evaluation may evaluate before failing with `U1001`; nil for no limit.
    public var maximumSteps: Int?
    /// Functions added to the built-in library, by name without `$` (Step Functions adds `$partition`, `$uuid`, …).
    public var extraFunctions: [String: JSONataNativeFunction]

    /// An environment; the defaults are the Unix epoch, seed 0, depth 10,000 and no time or step limit.
    public init(
        now: Date = Date(timeIntervalSince1970: 0), randomSeed: UInt64 = 0, maximumDepth: Int = 10_000,
        timeLimit: Duration? = nil, maximumSteps: Int? = nil, extraFunctions: [String: JSONataNativeFunction] = [:]
    ) {
        self.now = now
        self.randomSeed = randomSeed
        self.maximumDepth = maximumDepth
        self.timeLimit = timeLimit
        self.maximumSteps = maximumSteps
        self.extraFunctions = extraFunctions
    }
}

/// A function written in Swift that JSONata expressions can call (`$name(…)`).
public struct JSONataNativeFunction: Sendable {
    /// The JSONata signature (`<s-n?:s>`) arguments are checked against, if any.
    public var signature: String?
    /// The implementation: arguments in (nil = undefined), result out (nil = undefined).
    public var body: @Sendable ([JSON?]) throws(JSONataError) -> JSON?

    /// A function with an optional signature.
    public init(signature: String? = nil, _ body: @escaping @Sendable ([JSON?]) throws(JSONataError) -> JSON?) {
        self.signature = signature
        self.body = body
    }

    func makeFunction(name: String) -> JFunction {
        let sig = signature.flatMap { try? Signature($0) }
        let body = self.body
        let native = NativeFunction(name: name, signature: sig, arity: sig?.arity ?? 1) { args, _ throws(JSONataError) in
            try body(args.map { $0?.toJSON() }).map(JValue.init(json:))
        }
        return JFunction(.native(native), signature: sig)
    }
}
