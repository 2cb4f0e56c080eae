// Encoding functions: $base64encode/decode, $encodeUrl(Component), $decodeUrl(Component), and $eval.
import Foundation

private let uriUnreservedComponent = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".unicodeScalars)
private let uriReserved = Set(";/?:@&=+$,#".unicodeScalars)

private func percentEncode(_ s: String, keep: Set<Unicode.Scalar>, name: String) throws(JSONataError) -> String {
    var out = ""
    for u in s.unicodeScalars {
        if loneSurrogate(u) != nil {
            var e = JSONataError(code: "D3140", message: "Malformed URL passed to $\(name)(): \(quotedText(s))")
            e.value = s
            throw e
        }
        if keep.contains(u) { out.unicodeScalars.append(u); continue }
        for byte in String(u).utf8 { out += String(format: "%%%02X", byte) }
    }
    return out
}

private func percentDecode(_ s: String, reservedKept: Bool, name: String) throws(JSONataError) -> String {
    let bytes = Array(s.utf8)
    var out: [UInt8] = []
    var i = 0
    func fail() -> JSONataError {
        var e = JSONataError(code: "D3140", message: "Malformed URL passed to $\(name)(): \(quotedText(s))")
        e.value = s
        return e
    }
    while i < bytes.count {
        if bytes[i] == UInt8(ascii: "%") {
            guard i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { throw fail() }
            if reservedKept && v < 0x80 && uriReserved.contains(Unicode.Scalar(v)) {
                out.append(contentsOf: bytes[i...(i + 2)])
            } else {
                out.append(v)
            }
            i += 3
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    guard let text = String(validating: out, as: UTF8.self) else { throw fail() }
    return text
}

func registerEncodingFunctions(_ b: inout LibraryBuilder) {
    b.add("base64encode", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        return .string(Data(s.utf8).base64EncodedString())
    }
    b.add("base64decode", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        guard let d = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else { return .string("") }
        return .string(String(decoding: d, as: UTF8.self))
    }
    b.add("encodeUrlComponent", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        return .string(try percentEncode(s, keep: uriUnreservedComponent, name: "encodeUrlComponent"))
    }
    b.add("encodeUrl", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        return .string(try percentEncode(s, keep: uriUnreservedComponent.union(uriReserved), name: "encodeUrl"))
    }
    b.add("decodeUrlComponent", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        return .string(try percentDecode(s, reservedKept: false, name: "decodeUrlComponent"))
    }
    b.add("decodeUrl", "<s-:s>") { args, _ throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        return .string(try percentDecode(s, reservedKept: true, name: "decodeUrl"))
    }
    b.add("eval", "<sx?:x>") { args, ctx throws(JSONataError) in
        guard let text = args[arg: 0]?.asString else { return nil }
        let ast: Node
        do throws(JSONataError) {
            ast = try Parser.parse(text)
        } catch {
            throw JSONataError(code: "D3120", message: "Syntax error in expression passed to function eval: \(error.message)")
        }
        var input = args[arg: 1] ?? ctx.input
        if args[arg: 1] != nil, let i = input, case .array(let a) = i, !a.isSequence {
            let w = JArray([i], sequence: true)
            w.outerWrapper = true
            input = .array(w)
        }
        do throws(JSONataError) {
            return try ctx.evaluator.eval(ast, input, ctx.frame)
        } catch {
            throw JSONataError(code: "D3121", message: "Dynamic error evaluating the expression passed to function eval: \(error.message)")
        }
    }
}

private func quotedText(_ s: String) -> String {
    var out = ""
    writeQuoted(s, into: &out)
    return out
}
