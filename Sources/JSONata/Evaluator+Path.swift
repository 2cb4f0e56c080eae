// Paths: each step is evaluated once per item of the previous step's result and the results are
// flattened into one sequence. Steps that bind `@`, `#` or feed a `%` run as a tuple stream: each
// tuple carries the current item (`@`) and the variables bound so far.
import OrderedCollections

extension Evaluator {
    func evaluatePath(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        // fast path: one plain field step on a non-array input
        if expr.isSimpleField {
            guard let input else { return nil }
            if case .object(let o) = input {
                guard let v = o.dict[expr.steps[0].value] else { return nil }
                if case .array(let a) = v, a.isSequence { return try evaluatePathGeneral(expr, input, env) }
                return v
            }
            if case .array = input {} else { return nil }
        }
        // fast path: `$var.a.b` through objects only
        if expr.isVariableFieldChain {
            var current = lookup(expr.steps[0].value, env)
            var simple = true
            for step in expr.steps.dropFirst() {
                guard let c = current else { return nil }
                guard case .object(let o) = c else { simple = false; break }
                current = o.dict[step.value]
            }
            if simple {
                guard let c = current else { return nil }
                if case .array(let a) = c, a.isSequence { return try evaluatePathGeneral(expr, input, env) }
                return c
            }
        }
        return try evaluatePathGeneral(expr, input, env)
    }

    private func evaluatePathGeneral(_ expr: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        var inputItems: [JValue?]
        var inputValue: JValue?
        if let input, case .array(let a) = input, expr.steps[0].kind != .variable {
            inputItems = a.items.map { Optional($0) }
            inputValue = input
        } else {
            inputItems = [input]
            inputValue = input.map { .seq([$0]) } ?? .seq([])
        }
        var result: JValue? = nil
        var isTupleStream = false
        var tuples: [JObject]? = nil

        for (i, step) in expr.steps.enumerated() {
            if step.tuple { isTupleStream = true }
            if i == 0 && step.consarray {
                result = try eval(step, inputValue, env)
            } else if isTupleStream {
                tuples = try evaluateTupleStep(step, inputItems, tuples, env)
            } else {
                result = .array(try evaluateStep(step, inputItems, env, lastStep: i == expr.steps.count - 1))
            }
            if !isTupleStream {
                guard let r = result else { break }
                if case .array(let a) = r, a.items.isEmpty { break }
            }
            if step.focus == nil {
                if let r = result {
                    if case .array(let a) = r { inputItems = a.items.map { Optional($0) } } else { inputItems = [r] }
                } else {
                    inputItems = []
                }
            }
        }

        if isTupleStream {
            if expr.tuple {
                let a = JArray((tuples ?? []).map { .object($0) }, sequence: true)
                a.tupleStream = true
                result = .array(a)
            } else {
                result = .seq((tuples ?? []).compactMap { $0.dict["@"] })
            }
        }

        if expr.keepSingletonArray {
            if let r = result, case .array(let a) = r {
                if a.cons && !a.isSequence {
                    let s = JArray([r], sequence: true)
                    s.keepSingleton = true
                    result = .array(s)
                } else {
                    a.keepSingleton = true
                }
            } else if let r = result {
                // JavaScript sets the flag on a non-array and it has no effect
                _ = r
            }
        }

        if let group = expr.group {
            var groupInput = result
            if isTupleStream {
                let a = JArray((tuples ?? []).map { .object($0) }, sequence: true)
                a.tupleStream = true
                groupInput = .array(a)
            }
            result = try evaluateGroup(group.pairs, position: group.position, groupInput, env)
        }
        return result
    }

    func evaluateStep(_ expr: Node, _ input: [JValue?], _ env: Frame, lastStep: Bool) throws(JSONataError) -> JArray {
        if expr.kind == .sort {
            var result = try sortSequence(expr, input.compactMap { $0 }, isTuple: false, env)
            if let stages = expr.stages { result = try evaluateStages(stages, result, env) }
            return result
        }
        if input.count == 1 && expr.stages == nil {
            // one input item: skip the intermediate lists
            guard let res = try eval(expr, input[0], env) else { return JArray([], sequence: true) }
            if case .array(let a) = res {
                if lastStep && !a.isSequence { return a }
                if !a.cons { return JArray(a.items, sequence: true) }
            }
            return JArray([res], sequence: true)
        }
        var results: [JValue] = []
        results.reserveCapacity(input.count)
        for item in input {
            var res = try eval(expr, item, env)
            if let stages = expr.stages {
                for case .filter(let p, _) in stages { res = try evaluateFilter(p, res, env) }
            }
            if let r = res { results.append(r) }
        }
        if lastStep && results.count == 1, case .array(let a) = results[0], !a.isSequence {
            return a
        }
        var flat: [JValue] = []
        flat.reserveCapacity(results.count)
        for res in results {
            if case .array(let a) = res, !a.cons {
                flat.append(contentsOf: a.items)
            } else {
                flat.append(res)
            }
        }
        return JArray(flat, sequence: true)
    }

    func evaluateStages(_ stages: [Stage], _ input: JArray, _ env: Frame) throws(JSONataError) -> JArray {
        var result = input
        for stage in stages {
            switch stage {
            case .filter(let p, _):
                let filtered = try evaluateFilter(p, .array(result), env)
                result = toSequence(filtered)
            case .index(let name):
                for (i, item) in result.items.enumerated() {
                    if case .object(let tuple) = item { tuple.dict[name] = .number(Double(i)) }
                }
            }
        }
        return result
    }

    func evaluateTupleStep(_ expr: Node, _ input: [JValue?], _ tupleBindings: [JObject]?, _ env: Frame) throws(JSONataError) -> [JObject] {
        if expr.kind == .sort {
            var result: JArray
            if let tupleBindings {
                let stream = tupleBindings.map { JValue.object($0) }
                result = try sortSequence(expr, stream, isTuple: true, env)
            } else {
                let sorted = try sortSequence(expr, input.compactMap { $0 }, isTuple: false, env)
                var tuples: [JValue] = []
                for (i, item) in sorted.items.enumerated() {
                    let t = JObject(["@": item])
                    if let index = expr.index { t.dict[index] = .number(Double(i)) }
                    tuples.append(.object(t))
                }
                result = JArray(tuples, sequence: true)
                result.tupleStream = true
            }
            if let stages = expr.stages { result = try evaluateStages(stages, result, env) }
            return result.items.compactMap { $0.asObject }
        }

        let bindings: [JObject] = tupleBindings ?? input.map { item in
            let t = JObject()
            if let item { t.dict["@"] = item }
            return t
        }
        var result: [JValue] = []
        for tuple in bindings {
            let stepEnv = frameFromTuple(env, tuple)
            guard let res = try eval(expr, tuple.dict["@"], stepEnv) else { continue }
            let items: [JValue]
            var resIsTupleStream = false
            if case .array(let a) = res { items = a.items; resIsTupleStream = a.tupleStream } else { items = [res] }
            for (bb, item) in items.enumerated() {
                let t = JObject(tuple.dict)
                if resIsTupleStream {
                    if case .object(let o) = item { for (k, v) in o.dict { t.dict[k] = v } }
                } else {
                    if let focus = expr.focus {
                        t.dict[focus] = item
                        t.dict["@"] = tuple.dict["@"]
                    } else {
                        t.dict["@"] = item
                    }
                    if let index = expr.index { t.dict[index] = .number(Double(bb)) }
                    if let ancestor = expr.ancestor { t.dict[ancestor.label] = tuple.dict["@"] }
                }
                result.append(.object(t))
            }
        }
        var stream = JArray(result, sequence: true)
        stream.tupleStream = true
        if let stages = expr.stages { stream = try evaluateStages(stages, stream, env) }
        return stream.items.compactMap { $0.asObject }
    }

    func frameFromTuple(_ env: Frame, _ tuple: JObject) -> Frame {
        let frame = Frame(parent: env)
        for (k, v) in tuple.dict { frame.bind(k, v) }
        return frame
    }

    func evaluateFilter(_ predicate: Node, _ input: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        let results = JArray([], sequence: true)
        guard let input else { return .array(results) }
        var isTupleStream = false
        let items: [JValue]
        if case .array(let a) = input { items = a.items; isTupleStream = a.tupleStream } else { items = [input] }
        results.tupleStream = isTupleStream
        if predicate.kind == .number {
            var index = Int(exactly: predicate.number.rounded(.down)) ?? Int.max
            if index < 0 { index = items.count + index }
            if index >= 0 && index < items.count {
                let item = items[index]
                if case .array(let a) = item { return .array(a) }
                results.items.append(item)
            }
            return .array(results)
        }
        for (index, item) in items.enumerated() {
            var context: JValue? = item
            var frame = env
            if isTupleStream, case .object(let t) = item {
                context = t.dict["@"]
                frame = frameFromTuple(env, t)
            }
            let res = try eval(predicate, context, frame)
            if let r = res, case .number(let n) = r {
                if matchesIndex(n, index, items.count) { results.items.append(item) }
            } else if let r = res, case .array(let a) = r, !a.items.isEmpty, a.items.allSatisfy({ $0.asNumber != nil }) {
                for v in a.items where matchesIndex(v.asNumber!, index, items.count) {
                    results.items.append(item)
                }
            } else if truthy(res) {
                results.items.append(item)
            }
        }
        return .array(results)
    }

    private func matchesIndex(_ n: Double, _ index: Int, _ count: Int) -> Bool {
        guard n.isFinite else { return false }
        var i = n.rounded(.down)
        if i < 0 { i += Double(count) }
        return i == Double(index)
    }
}
