// The transform operator `| pattern | update [, delete] |`: a function that deep-copies its argument,
// finds the pattern's matches inside the copy, merges the update object into each and removes the
// deleted keys. Matches are references into the copy, so the changes land in it.

extension Evaluator {
    func runTransform(_ expr: Node, _ obj: JValue?, _ env: Frame) throws(JSONataError) -> JValue? {
        guard let obj else { return nil }
        let cloneFn = lookup("clone", env)
        guard let cloneFn, cloneFn.isFunction else { throw JSONataError(code: "T2013", position: expr.position) }
        let result = try apply(cloneFn, [obj], nil, env)
        guard let matches = try eval(expr.pattern!, result, env) else { return result }
        for match in matches.asList {
            if let update = try eval(expr.update!, match, env) {
                guard case .object(let u) = update else {
                    throw jerr("T2011", update, position: expr.update!.position)
                }
                if case .object(let m) = match {
                    for (k, v) in u.dict { m.dict[k] = v }
                }
            }
            if let deleteNode = expr.delete, let deletions = try eval(deleteNode, match, env) {
                let names = deletions.asList
                guard names.allSatisfy({ $0.asString != nil }) else {
                    throw jerr("T2012", deletions, position: deleteNode.position)
                }
                if case .object(let m) = match {
                    for n in names { m.dict.removeValue(forKey: n.asString!) }
                }
            }
        }
        return result
    }
}
