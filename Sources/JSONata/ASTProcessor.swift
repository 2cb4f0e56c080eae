// The second pass over the parse tree (JSONata's `processAST`): it turns `.` chains into paths of steps,
// attaches predicates, index (`#`) and focus (`@`) bindings to the steps they follow, resolves each
// parent operator `%` to the step whose input it names (ancestor slots, carried in tuple streams at
// run time), and marks tail calls inside lambdas so the evaluator can run them in a loop.

struct ASTProcessor {
    private var ancestorLabel = 0
    private var ancestorIndex = 0
    private var ancestry: [Node] = []

    mutating func process(_ expr: Node) throws(JSONataError) -> Node {
        var result: Node
        switch expr.kind {
        case .binary where expr.value == ".":
            let lstep = try process(expr.lhs!)
            if lstep.kind == .path {
                result = lstep
            } else {
                result = Node(.path, position: lstep.position)
                result.steps = [lstep]
            }
            if lstep.kind == .parent { result.seekingParent = [lstep.slot!] }
            let rest = try process(expr.rhs!)
            if rest.kind == .path {
                result.steps.append(contentsOf: rest.steps)
            } else {
                if let p = rest.predicate {
                    rest.stages = p
                    rest.predicate = nil
                }
                result.steps.append(rest)
            }
            for step in result.steps {
                if step.kind == .number || step.kind == .value {
                    throw JSONataError(code: "S0213", position: step.position, value: step.value)
                }
                if step.kind == .string { step.kind = .name }
            }
            if result.steps.contains(where: { $0.keepArray }) { result.keepSingletonArray = true }
            let first = result.steps[0]
            if first.kind == .unary && first.value == "[" { first.consarray = true }
            let last = result.steps[result.steps.count - 1]
            if last.kind == .unary && last.value == "[" { last.consarray = true }
            try resolveAncestry(result)
        case .predicate:
            result = try process(expr.lhs!)
            var step = result
            var isStages = false
            if result.kind == .path {
                step = result.steps[result.steps.count - 1]
                isStages = true
            }
            if step.group != nil { throw JSONataError(code: "S0209", position: expr.position) }
            let predicate = try process(expr.rhs!)
            if let seeking = predicate.seekingParent {
                for slot in seeking {
                    if slot.level == 1 {
                        _ = try seekParent(step, slot)
                    } else {
                        slot.level -= 1
                    }
                }
                pushAncestry(step, predicate)
            }
            let stage = Stage.filter(predicate, position: expr.position)
            if isStages {
                step.stages = (step.stages ?? []) + [stage]
            } else {
                step.predicate = (step.predicate ?? []) + [stage]
            }
        case .group:
            result = try process(expr.lhs!)
            if result.group != nil { throw JSONataError(code: "S0210", position: expr.position) }
            var pairs: [(Node, Node)] = []
            for (k, v) in expr.pairs { pairs.append((try process(k), try process(v))) }
            result.group = (pairs, expr.position)
        case .orderBy:
            result = try process(expr.lhs!)
            if result.kind != .path {
                let p = Node(.path, position: result.position)
                p.steps = [result]
                result = p
            }
            let sortStep = Node(.sort, position: expr.position)
            for term in expr.terms {
                let e = try process(term.expression)
                pushAncestry(sortStep, e)
                sortStep.terms.append((term.descending, e))
            }
            result.steps.append(sortStep)
            try resolveAncestry(result)
        case .bind:
            result = Node(.bind, position: expr.position, value: expr.value)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.rhs!)
        case .focusBind:
            result = try process(expr.lhs!)
            var step = result
            if result.kind == .path { step = result.steps[result.steps.count - 1] }
            if step.stages != nil || step.predicate != nil {
                throw JSONataError(code: "S0215", position: expr.position, token: "@")
            }
            if step.kind == .sort { throw JSONataError(code: "S0216", position: expr.position, token: "@") }
            if expr.keepArray { step.keepArray = true }
            step.focus = expr.rhs!.value
            step.tuple = true
        case .indexBind:
            result = try process(expr.lhs!)
            var step = result
            if result.kind == .path {
                step = result.steps[result.steps.count - 1]
            } else {
                let p = Node(.path, position: result.position)
                p.steps = [result]
                result = p
                if let pred = step.predicate {
                    step.stages = pred
                    step.predicate = nil
                }
            }
            if step.stages == nil {
                step.index = expr.rhs!.value
            } else {
                step.stages!.append(.index(expr.rhs!.value))
            }
            step.tuple = true
        case .chain:
            result = Node(.apply, position: expr.position, value: "~>")
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            result.keepArray = result.lhs!.keepArray || result.rhs!.keepArray
        case .binary:
            result = Node(.binary, position: expr.position, value: expr.value)
            result.lhs = try process(expr.lhs!)
            result.rhs = try process(expr.rhs!)
            pushAncestry(result, result.lhs!)
            pushAncestry(result, result.rhs!)
        case .arrayCons:
            result = Node(.unary, position: expr.position, value: "[")
            for item in expr.expressions {
                let v = try process(item)
                pushAncestry(result, v)
                result.expressions.append(v)
            }
        case .objectCons:
            result = Node(.unary, position: expr.position, value: "{")
            for (k, v) in expr.pairs {
                let key = try process(k)
                pushAncestry(result, key)
                let value = try process(v)
                pushAncestry(result, value)
                result.pairs.append((key, value))
            }
        case .unary:
            result = Node(.unary, position: expr.position, value: expr.value)
            let inner = try process(expr.expression!)
            result.expression = inner
            if expr.value == "-" && inner.kind == .number {
                result = inner
                result.literal = .number(-inner.number)
            } else {
                pushAncestry(result, inner)
            }
        case .function, .partial:
            result = Node(expr.kind, position: expr.position, value: expr.value)
            for arg in expr.arguments {
                let a = try process(arg)
                pushAncestry(result, a)
                result.arguments.append(a)
            }
            result.procedure = try process(expr.procedure!)
        case .lambda:
            result = Node(.lambda, position: expr.position)
            result.params = expr.params
            result.signature = expr.signature
            let body = try process(expr.body!)
            result.body = tailCallOptimize(body)
        case .condition:
            result = Node(.condition, position: expr.position)
            result.condition = try process(expr.condition!)
            pushAncestry(result, result.condition!)
            result.then = try process(expr.then!)
            pushAncestry(result, result.then!)
            if let e = expr.otherwise {
                result.otherwise = try process(e)
                pushAncestry(result, result.otherwise!)
            }
        case .transform:
            result = Node(.transform, position: expr.position)
            result.pattern = try process(expr.pattern!)
            result.update = try process(expr.update!)
            if let d = expr.delete { result.delete = try process(d) }
        case .block:
            result = Node(.block, position: expr.position)
            for item in expr.expressions {
                let part = try process(item)
                pushAncestry(result, part)
                if part.consarray || (part.kind == .path && part.steps[0].consarray) { result.consarray = true }
                result.expressions.append(part)
            }
        case .name:
            result = Node(.path, position: expr.position)
            result.steps = [expr]
            if expr.keepArray { result.keepSingletonArray = true }
        case .parent:
            result = Node(.parent, position: expr.position)
            result.slot = AncestorSlot(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
            ancestorLabel += 1
            ancestorIndex += 1
            ancestry.append(result)
        case .string, .number, .value, .wildcard, .descendant, .variable, .regex, .placeholder:
            result = expr
        default:
            throw JSONataError(code: "S0206", position: expr.position, token: expr.value)
        }
        if expr.keepArray { result.keepArray = true }
        return result
    }

    private func tailCallOptimize(_ expr: Node) -> Node {
        if expr.kind == .function && expr.predicate == nil {
            let thunk = Node(.lambda, position: expr.position)
            thunk.thunk = true
            thunk.body = expr
            return thunk
        } else if expr.kind == .condition {
            expr.then = tailCallOptimize(expr.then!)
            if let e = expr.otherwise { expr.otherwise = tailCallOptimize(e) }
            return expr
        } else if expr.kind == .block {
            if let last = expr.expressions.last {
                expr.expressions[expr.expressions.count - 1] = tailCallOptimize(last)
            }
            return expr
        }
        return expr
    }

    private mutating func seekParent(_ node: Node, _ slotIn: AncestorSlot) throws(JSONataError) -> AncestorSlot {
        var slot = slotIn
        switch node.kind {
        case .name, .wildcard:
            slot.level -= 1
            if slot.level == 0 {
                if let existing = node.ancestor {
                    ancestry[slot.index].slot!.label = existing.label
                    node.ancestor = slot
                } else {
                    node.ancestor = slot
                }
                node.tuple = true
            }
        case .parent:
            slot.level += 1
        case .block:
            if let last = node.expressions.last {
                node.tuple = true
                slot = try seekParent(last, slot)
            }
        case .path:
            node.tuple = true
            var index = node.steps.count - 1
            slot = try seekParent(node.steps[index], slot)
            index -= 1
            while slot.level > 0 && index >= 0 {
                slot = try seekParent(node.steps[index], slot)
                index -= 1
            }
        default:
            throw JSONataError(code: "S0217", position: node.position, token: "\(node.kind)")
        }
        return slot
    }

    private func pushAncestry(_ result: Node, _ value: Node) {
        guard value.seekingParent != nil || value.kind == .parent else { return }
        var slots = value.seekingParent ?? []
        if value.kind == .parent { slots.append(value.slot!) }
        if result.seekingParent == nil {
            result.seekingParent = slots
        } else {
            result.seekingParent!.append(contentsOf: slots)
        }
    }

    private mutating func resolveAncestry(_ path: Node) throws(JSONataError) {
        var index = path.steps.count - 1
        let laststep = path.steps[index]
        var slots = laststep.seekingParent ?? []
        if laststep.kind == .parent { slots.append(laststep.slot!) }
        for var slot in slots {
            index = path.steps.count - 2
            while slot.level > 0 {
                if index < 0 {
                    if path.seekingParent == nil { path.seekingParent = [slot] } else { path.seekingParent!.append(slot) }
                    break
                }
                var step = path.steps[index]
                index -= 1
                while index >= 0 && step.focus != nil && path.steps[index].focus != nil {
                    step = path.steps[index]
                    index -= 1
                }
                slot = try seekParent(step, slot)
            }
        }
    }
}
