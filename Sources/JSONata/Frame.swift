/// A scope of variable bindings; lookups walk out to the enclosing scopes. Scopes hold few bindings
/// (a lambda's parameters, a block's assignments), so they are two parallel arrays searched linearly,
/// which is cheaper to create than a dictionary.
final class Frame {
    private var names: [String] = []
    private var values: [JValue?] = []
    let parent: Frame?

    init(parent: Frame?) { self.parent = parent }

    func bind(_ name: String, _ value: JValue?) {
        if let i = names.firstIndex(of: name) {
            values[i] = value
        } else {
            names.append(name)
            values.append(value)
        }
    }

    private func local(_ name: String) -> JValue?? {
        for i in names.indices where names[i] == name { return .some(values[i]) }
        return nil
    }

    /// The binding of `name` in this scope or an enclosing one: `.some(nil)` when bound to undefined.
    func find(_ name: String) -> JValue?? {
        var frame: Frame? = self
        while let f = frame {
            if let v = f.local(name) { return v }
            frame = f.parent
        }
        return nil
    }

    func isBound(_ name: String) -> Bool {
        var frame: Frame? = self
        while let f = frame {
            if f.local(name) != nil { return true }
            frame = f.parent
        }
        return false
    }
}

/// A function value: a lambda (with its closure), a built-in, a partial application or a regex.
final class JFunction {
    enum Kind {
        case lambda(node: Node, input: JValue?, env: Frame, params: [String])
        case native(NativeFunction)
        case partial(target: JFunction, args: [JValue?], holes: [Bool])
        case regex(Node)
        case transform(Node, Frame)
    }
    let kind: Kind
    /// The signature arguments are checked against, when there is one.
    let signature: Signature?

    init(_ kind: Kind, signature: Signature? = nil) {
        self.kind = kind
        self.signature = signature
    }

    /// How many arguments a higher-order function passes to this one.
    var arity: Int {
        switch kind {
        case .lambda(_, _, _, let params): params.count
        case .native(let n): n.arity
        case .partial(_, _, let holes): holes.filter { $0 }.count
        case .regex: 1
        case .transform: 1
        }
    }

    var isThunk: Bool {
        if case .lambda(let node, _, _, _) = kind { return node.thunk }
        return false
    }
}

/// A built-in function.
struct NativeFunction {
    typealias Body = (_ args: [JValue?], _ context: CallContext) throws(JSONataError) -> JValue?
    let name: String
    let signature: Signature?
    let arity: Int
    let body: Body
}

/// What a built-in function sees besides its arguments.
struct CallContext {
    let evaluator: Evaluator
    /// The context value (the input of the calling expression).
    let input: JValue?
    let frame: Frame
}
