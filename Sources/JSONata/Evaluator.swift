// The tree-walking evaluator. `eval` dispatches on the node kind, then applies the node's predicates
// and grouping and JSONata's sequence rule (an empty sequence is undefined, a one-item sequence is
// its item unless it must stay an array).
//
// Bounds: every `eval` counts one level of depth (as the reference implementation's guard does); past
// `maximumDepth` evaluation ends with U1001. A step counter checks the time budget every 1,024 steps.
// Stack: deep evaluations do not run on the caller's stack. When depth reaches `Evaluator.hopDepth`
// the rest of the evaluation moves to a thread Baton owns with a large stack (see BigStack.swift), so a
// caller on Swift's cooperative pool, whose threads have small stacks, never overflows.
import Foundation

final class Evaluator {
    let environment: JSONataEnvironment
    let extras: [String: JFunction]
    var depth = 0
    var stepCount = 0
    let startTime: ContinuousClock.Instant
    var onBigStack = false
    var random: SplitMix
    static let hopDepth = 48

    init(environment: JSONataEnvironment, extras: [String: JFunction]) {
        self.environment = environment
        self.extras = extras
        self.startTime = ContinuousClock.now
        self.random = SplitMix(seed: environment.randomSeed)
    }

    /// Looks a variable up: the scopes, then the extra functions, then the built-ins.
    func lookup(_ name: String, _ frame: Frame) -> JValue? {
        if let bound = frame.find(name) { return bound }
        if let f = extras[name] { return .function(f) }
        if let f = builtinFunctions[name] { return .function(f) }
        return nil
    }

    func isBound(_ name: String, _ frame: Frame) -> Bool {
        frame.find(name) != nil || extras[name] != nil || builtinFunctions[name] != nil
    }

    func eval(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        depth += 1
        defer { depth -= 1 }
        if depth > environment.maximumDepth {
            throw JSONataError(code: "U1001", position: expr.position)
        }
        stepCount &+= 1
        if stepCount & 1023 == 0 { try checkBudget(expr) }
        if depth >= Evaluator.hopDepth && !onBigStack {
            return try runOnBigStack { () throws(JSONataError) -> JValue? in try self.evalNode(expr, input, env) }
        }
        return try evalNode(expr, input, env)
    }

    private func evalNode(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        var result: JValue?
        switch expr.kind {
        case .path: result = try evaluatePath(expr, input, env)
        case .binary: result = try evaluateBinary(expr, input, env)
        case .unary: result = try evaluateUnary(expr, input, env)
        case .name: result = lookupField(input, expr.value)
        case .string, .number, .value: result = expr.literal
        case .wildcard: result = evaluateWildcard(input)
        case .descendant: result = evaluateDescendants(input)
        case .parent: result = lookup(expr.slot!.label, env)
        case .condition:
            let c = try eval(expr.condition!, input, env)
            if truthy(c) {
                result = try eval(expr.then!, input, env)
            } else if let e = expr.otherwise {
                result = try eval(e, input, env)
            }
        case .block:
            let frame = Frame(parent: env)
            for e in expr.expressions { result = try eval(e, input, frame) }
        case .bind:
            let value = try eval(expr.rhs!, input, env)
            env.bind(expr.lhs!.value, value)
            result = value
        case .regex: result = .function(JFunction(.regex(expr)))
        case .function: result = try evaluateFunctionCall(expr, input, env, applyTo: nil)
        case .variable:
            if expr.value.isEmpty {
                if let input, case .array(let a) = input, a.outerWrapper, let first = a.items.first { result = first } else { result = input }
            } else {
                result = lookup(expr.value, env)
            }
        case .lambda:
            result = .function(JFunction(.lambda(node: expr, input: input, env: env, params: expr.params), signature: expr.signature))
        case .partial: result = try evaluatePartial(expr, input, env)
        case .apply: result = try evaluateApply(expr, input, env)
        case .transform: result = .function(JFunction(.transform(expr, env), signature: transformSignature))
        case .sort:
            result = .array(try sortSequence(expr, toSequence(input).items, isTuple: false, env))
        case .placeholder:
            throw JSONataError(code: "S0201", position: expr.position, token: "?")
        default:
            throw JSONataError(code: "S0206", position: expr.position, token: expr.value)
        }

        if let predicates = expr.predicate {
            for case .filter(let p, _) in predicates { result = try evaluateFilter(p, result, env) }
        }
        if expr.kind != .path, let group = expr.group {
            result = try evaluateGroup(group.pairs, position: group.position, result, env)
        }
        if let r = result, case .array(let a) = r, a.isSequence, !a.tupleStream {
            if expr.keepArray { a.keepSingleton = true }
            if a.items.isEmpty {
                result = nil
            } else if a.items.count == 1 {
                result = a.keepSingleton ? r : a.items[0]
            }
        }
        return result
    }

    private func checkBudget(_ expr: Node) throws(JSONataError) {
        if let limit = environment.timeLimit, ContinuousClock.now - startTime > limit {
            throw JSONataError(code: "U1001", message: "Expression evaluation timeout: Check for infinite loop", position: expr.position)
        }
        if let maxSteps = environment.maximumSteps, stepCount > maxSteps {
            throw JSONataError(code: "U1001", message: "Expression evaluation exceeded its step budget", position: expr.position)
        }
    }

    // MARK: simple node kinds

    func evaluateWildcard(_ inputIn: JValue?) -> JValue? {
        var input = inputIn
        if let i = input, case .array(let a) = i, a.outerWrapper, let first = a.items.first { input = first }
        var items: [JValue] = []
        var plain = false
        var members: [JValue] = []
        if let i = input {
            if case .object(let o) = i { members = Array(o.dict.values) } else if case .array(let a) = i { members = a.items }
        }
        do {
            for value in members {
                if case .array = value {
                    flattenValue(value, into: &items)
                    plain = true
                } else {
                    items.append(value)
                }
            }
        }
        let result = JArray(items, sequence: !plain)
        return .array(result)
    }

    func evaluateDescendants(_ input: JValue?) -> JValue? {
        guard let input else { return nil }
        var items: [JValue] = []
        recurseDescendants(input, &items)
        if items.count == 1 { return items[0] }
        return .seq(items)
    }

    private func recurseDescendants(_ input: JValue, _ out: inout [JValue]) {
        switch input {
        case .array(let a):
            for m in a.items { recurseDescendants(m, &out) }
        case .object(let o):
            out.append(input)
            for (_, v) in o.dict { recurseDescendants(v, &out) }
        default:
            out.append(input)
        }
    }
}

/// `fn.lookup`: a field of an object, or of each object in an array (flattened one level).
func lookupField(_ input: JValue?, _ key: String) -> JValue? {
    guard let input else { return nil }
    switch input {
    case .object(let o): return o.dict[key]
    case .array(let a):
        var out: [JValue] = []
        for item in a.items {
            guard let res = lookupField(item, key) else { continue }
            if case .array(let r) = res { out.append(contentsOf: r.items) } else { out.append(res) }
        }
        return .seq(out)
    default: return nil
    }
}

/// JSONata's truthiness (`$boolean`), with undefined as false.
func truthy(_ value: JValue?) -> Bool { booleanValue(value) ?? false }

/// `$boolean`: nil for undefined.
func booleanValue(_ value: JValue?) -> Bool? {
    guard let value else { return nil }
    switch value {
    case .null: return false
    case .bool(let b): return b
    case .number(let n): return n != 0
    case .string(let s): return !s.isEmpty
    case .function: return false
    case .object(let o): return !o.dict.isEmpty
    case .array(let a):
        if a.items.count == 1 { return booleanValue(a.items[0]) }
        return a.items.contains { booleanValue($0) == true }
    }
}

let transformSignature = try! Signature("<(oa):o>")

/// SplitMix64, for `$random` and `$shuffle` from the environment's seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
