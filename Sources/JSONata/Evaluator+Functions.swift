// Calling functions: evaluating a call, applying lambdas, built-ins, partial applications, regexes and
// transforms, with the trampoline that runs tail calls (thunks) in a loop instead of recursing.

private let chainNode: Node = try! Parser.parse("function($f, $g) { function($x){ $g($f($x)) } }")

extension Evaluator {
    func evaluateFunctionCall(_ expr: Node, _ input: JValue?, _ env: Frame, applyTo: JValue??) throws(JSONataError) -> JValue? {
        let procNode = expr.procedure!
        let proc = try eval(procNode, input, env)
        let procName = procNode.kind == .path ? procNode.steps[0].value : procNode.value
        if proc == nil, procNode.kind == .path, isBound(procNode.steps[0].value, env) {
            throw JSONataError(code: "T1005", position: expr.position, token: procNode.steps[0].value)
        }
        var args: [JValue?] = []
        args.reserveCapacity(expr.arguments.count + 1)
        if let applyTo { args.append(applyTo) }
        for a in expr.arguments { args.append(try eval(a, input, env)) }
        do throws(JSONataError) {
            return try apply(proc, args, input, env)
        } catch {
            var e = error
            e.fill(position: expr.position, token: procName)
            throw e
        }
    }

    /// Applies a function value to arguments, running tail calls to completion.
    func apply(_ proc: JValue?, _ args: [JValue?], _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        var result = try applyInner(proc, args, input, env)
        while let r = result, case .function(let f) = r, f.isThunk, case .lambda(let node, let tInput, let tEnv, _) = f.kind {
            let call = node.body!
            let next = try eval(call.procedure!, tInput, tEnv)
            var nextArgs: [JValue?] = []
            for a in call.arguments { nextArgs.append(try eval(a, tInput, tEnv)) }
            do throws(JSONataError) {
                result = try applyInner(next, nextArgs, input, env)
            } catch {
                var e = error
                let name = call.procedure!.kind == .variable ? call.procedure!.value : nil
                e.fill(position: call.position, token: name)
                throw e
            }
        }
        return result
    }

    private func applyInner(_ procValue: JValue?, _ args: [JValue?], _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        guard let procValue, case .function(let proc) = procValue else {
            throw JSONataError(code: "T1006")
        }
        var validated = args
        if let sig = proc.signature {
            var name: String? = nil
            if case .native(let n) = proc.kind { name = n.name }
            validated = try sig.validate(args, context: input, name: name)
        }
        switch proc.kind {
        case .lambda(let node, let lInput, let lEnv, let params):
            let frame = Frame(parent: lEnv)
            for (i, p) in params.enumerated() { frame.bind(p, i < validated.count ? validated[i] : nil) }
            return try eval(node.body!, lInput, frame)
        case .native(let native):
            do throws(JSONataError) {
                return try native.body(validated, CallContext(evaluator: self, input: input, frame: env))
            } catch {
                var e = error
                e.fill(position: nil, token: native.name)
                throw e
            }
        case .partial(let target, let bound, let holes):
            var full: [JValue?] = []
            var next = 0
            for (i, isHole) in holes.enumerated() {
                if isHole {
                    full.append(next < validated.count ? validated[next] : nil)
                    next += 1
                } else {
                    full.append(bound[i])
                }
            }
            return try apply(.function(target), full, input, env)
        case .regex(let node):
            guard let s = validated.first ?? nil, case .string(let str) = s else { return nil }
            return regexMatchObject(node, str, from: 0)
        case .transform(let node, let tEnv):
            return try runTransform(node, validated.first ?? nil, tEnv)
        }
    }

    func evaluatePartial(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        var bound: [JValue?] = []
        var holes: [Bool] = []
        for a in expr.arguments {
            if a.kind == .placeholder {
                bound.append(nil)
                holes.append(true)
            } else {
                bound.append(try eval(a, input, env))
                holes.append(false)
            }
        }
        let procNode = expr.procedure!
        let proc = try eval(procNode, input, env)
        if proc == nil, procNode.kind == .path, isBound(procNode.steps[0].value, env) {
            throw JSONataError(code: "T1007", position: expr.position, token: procNode.steps[0].value)
        }
        guard let p = proc, case .function(let f) = p else {
            let name = procNode.kind == .path ? procNode.steps[0].value : procNode.value
            throw JSONataError(code: "T1008", position: expr.position, token: name)
        }
        if case .lambda(let node, let lInput, let lEnv, let params) = f.kind {
            let frame = Frame(parent: lEnv)
            var unbound: [String] = []
            for (i, param) in params.enumerated() {
                if i < holes.count && holes[i] {
                    unbound.append(param)
                } else {
                    frame.bind(param, i < bound.count ? bound[i] : nil)
                }
            }
            return .function(JFunction(.lambda(node: node, input: lInput, env: frame, params: unbound)))
        }
        // a built-in: missing trailing arguments are not holes
        return .function(JFunction(.partial(target: f, args: bound, holes: holes)))
    }

    func evaluateApply(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        let lhs = try eval(expr.lhs!, input, env)
        let rhsNode = expr.rhs!
        if rhsNode.kind == .function {
            return try evaluateFunctionCall(rhsNode, input, env, applyTo: .some(lhs))
        }
        let fn = try eval(rhsNode, input, env)
        guard let f = fn, f.isFunction else {
            throw jerr("T2006", fn, position: expr.position)
        }
        if let l = lhs, l.isFunction {
            let chain = try eval(chainNode, nil, env)
            return try apply(chain, [l, f], nil, env)
        }
        return try apply(f, [lhs], nil, env)
    }

    /// The match object a regex gives when called as a function.
    func regexMatchObject(_ node: Node, _ str: String, from: Int) -> JValue? {
        guard let m = firstMatch(node.regex!, in: str, from: from) else { return nil }
        return .obj([
            "match": .string(m.match), "start": .number(Double(m.start)), "end": .number(Double(m.end)),
            "groups": .arr(m.groups.map { $0.map(JValue.string) ?? .null }),
        ])
    }
}
