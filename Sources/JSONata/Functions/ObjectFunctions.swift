// Object functions: $keys, $lookup, $spread, $merge, $type, $clone, $error, $assert.
import OrderedCollections

func registerObjectFunctions(_ b: inout LibraryBuilder) {
    b.add("keys", "<x-:a<s>>") { args, _ throws(JSONataError) in
        var keys = OrderedSet<String>()
        func collect(_ v: JValue?) {
            guard let v else { return }
            switch v {
            case .array(let a): for item in a.items { collect(item) }
            case .object(let o): keys.append(contentsOf: o.dict.keys)
            default: break
            }
        }
        collect(args[arg: 0])
        return .seq(keys.map(JValue.string))
    }
    b.add("lookup", "<x-s:x>") { args, _ throws(JSONataError) in
        guard let key = args[arg: 1]?.asString else { return nil }
        return lookupField(args[arg: 0], key)
    }
    b.add("spread", "<x-:a<o>>") { args, _ throws(JSONataError) in
        func spread(_ v: JValue?) -> JValue? {
            guard let v else { return nil }
            switch v {
            case .array(let a):
                var result: JValue? = .seq([])
                for item in a.items { result = appendValues(result, spread(item)) }
                return result
            case .object(let o):
                return .seq(o.dict.map { k, val in .obj([k: val]) })
            default:
                return v
            }
        }
        return spread(args[arg: 0])
    }
    b.add("merge", "<a<o>:o>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        var d = OrderedDictionary<String, JValue>()
        for item in a.asList {
            if case .object(let o) = item { for (k, v) in o.dict { d[k] = v } }
        }
        return .obj(d)
    }
    b.add("type", "<x:s>") { args, _ throws(JSONataError) in
        args[arg: 0].map { .string($0.typeName) }
    }
    b.add("clone", "<(oa)-:o>") { args, _ throws(JSONataError) in
        args[arg: 0].map(deepCopy)
    }
    b.add("error", "<s?:x>") { args, _ throws(JSONataError) in
        let message = args[arg: 0]?.asString ?? "$error() function evaluated"
        throw JSONataError(code: "D3137", message: message)
    }
    b.add("assert", "<bs?:x>") { args, _ throws(JSONataError) in
        if !(args[arg: 0]?.asBool ?? false) {
            throw JSONataError(code: "D3141", message: args[arg: 1]?.asString ?? "$assert() statement failed")
        }
        return nil
    }
}
