// The syntax tree. The parser builds it and a second pass (ASTProcessor) rewrites it into the shape the
// evaluator walks: paths as step lists, predicates and index bindings as stages, `%` resolved to
// ancestor slots, tail calls wrapped in thunks. Nodes are classes because that pass links and
// annotates them in place; after parsing they are never changed, so sharing them across threads is safe.
import Foundation

/// A slot through which the parent operator `%` reads an ancestor.
final class AncestorSlot {
    var label: String
    var level: Int
    let index: Int
    init(label: String, level: Int, index: Int) { self.label = label; self.level = level; self.index = index }
}

/// A predicate or index binding attached to a step.
enum Stage {
    case filter(Node, position: Int)
    case index(String)
}

/// A node of the syntax tree.
final class Node: @unchecked Sendable {
    enum Kind {
        // after processing
        case path, binary, unary, name, string, number, value, wildcard, descendant, parent, condition, block
        case bind, regex, function, partial, variable, lambda, apply, transform, sort, placeholder
        // parser-only
        case predicate, group, orderBy, focusBind, indexBind, chain, arrayCons, objectCons
    }

    var kind: Kind
    /// Operator, name, variable name, string literal.
    var value: String = ""
    var literal: JValue? = nil
    var position: Int

    var lhs: Node?
    var rhs: Node?
    var expression: Node?
    var expressions: [Node] = []
    var pairs: [(Node, Node)] = []
    var steps: [Node] = []
    var arguments: [Node] = []
    var procedure: Node?
    var params: [String] = []
    var signature: Signature?
    var body: Node?
    var thunk = false
    var condition: Node?
    var then: Node?
    var otherwise: Node?
    var pattern: Node?
    var update: Node?
    var delete: Node?
    var terms: [(descending: Bool, expression: Node)] = []

    var predicate: [Stage]?
    var stages: [Stage]?
    var group: (pairs: [(Node, Node)], position: Int)?
    var focus: String?
    var index: String?
    var tuple = false
    var ancestor: AncestorSlot?
    var slot: AncestorSlot?
    var seekingParent: [AncestorSlot]?
    var keepArray = false
    var keepSingletonArray = false
    var consarray = false
    var regex: NSRegularExpression?
    /// The pattern source of a regex literal.
    var regexSource = ""
    /// A path of one plain field step (no predicates, bindings, grouping or array flags): evaluated directly.
    /// Set by `finalize()` once the tree is complete.
    private(set) var isSimpleField = false
    /// Set by `finalize()`: a path `$var.a.b…` of a variable and plain field steps.
    private(set) var isVariableFieldChain = false

    /// Computes the derived flags of every node; the tree is not changed after this.
    func finalize() {
        func plain(_ s: Node) -> Bool {
            s.stages == nil && s.predicate == nil && s.group == nil && s.focus == nil && s.index == nil && !s.tuple
                && s.ancestor == nil && !s.keepArray && !s.consarray
        }
        if kind == .path, group == nil, !keepSingletonArray, !tuple, predicate == nil, stages == nil {
            if steps.count == 1 {
                isSimpleField = steps[0].kind == .name && plain(steps[0])
            } else if steps.count > 1, steps[0].kind == .variable, !steps[0].value.isEmpty, plain(steps[0]) {
                isVariableFieldChain = steps.dropFirst().allSatisfy { $0.kind == .name && plain($0) }
            }
        }
        for child in [lhs, rhs, expression, procedure, body, condition, then, otherwise, pattern, update, delete] {
            child?.finalize()
        }
        for n in expressions { n.finalize() }
        for n in steps { n.finalize() }
        for n in arguments { n.finalize() }
        for (k, v) in pairs { k.finalize(); v.finalize() }
        for t in terms { t.expression.finalize() }
        if let g = group { for (k, v) in g.pairs { k.finalize(); v.finalize() } }
        for stages in [predicate, stages] {
            for case .filter(let n, _) in stages ?? [] { n.finalize() }
        }
    }
    /// A number literal used as a predicate (`[0]`).
    var number: Double { if case .number(let n) = literal { return n } else { return .nan } }

    init(_ kind: Kind, position: Int, value: String = "") {
        self.kind = kind
        self.position = position
        self.value = value
    }
}
