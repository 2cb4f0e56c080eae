// Reads the fields of one JSON object of a definition while building the typed tree, collecting problems
// with their locations instead of stopping at the first one.

import BatonJSON
import ASLExpressions

struct DefinitionReader {
    let object: JSONObject
    let location: String
    var problems: [StateMachineError.Problem] = []
    /// The definition's top-level `QueryLanguage` (nested blocks inherit it).
    var topLanguage = QueryLanguageMode.jsonPath

    init(_ json: JSON, location: String, problems: inout [StateMachineError.Problem]) {
        if case .object(let o) = json {
            object = o
        } else {
            object = [:]
            problems.append(.init(location: location, message: "expected an object, found \(json.typeName)"))
        }
        self.location = location
    }

    func at(_ key: String) -> String { location + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }

    func has(_ key: String) -> Bool { object[key] != nil }

    mutating func fail(_ key: String, _ message: String) {
        problems.append(.init(location: at(key), message: message))
    }

    mutating func string(_ key: String) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let s) = value else { fail(key, "expected a string, found \(value.typeName)"); return nil }
        return s
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = object[key] else { return nil }
        guard let i = value.intValue else { fail(key, "expected an integer, found \(value)"); return nil }
        return i
    }

    mutating func double(_ key: String) -> Double? {
        guard let value = object[key] else { return nil }
        guard let d = value.doubleValue else { fail(key, "expected a number, found \(value.typeName)"); return nil }
        return d
    }

    mutating func path(_ key: String) -> ASLPath? {
        guard let text = string(key) else { return nil }
        do { return ASLPath(text: text, path: try Path(text)) } catch { fail(key, "invalid path \(text): \(error)"); return nil }
    }

    /// A path field where `null` is meaningful (`InputPath`, `OutputPath`).
    mutating func pathField(_ key: String) -> PathField {
        guard let value = object[key] else { return .identity }
        if value.isNull { return .discard }
        guard let path = path(key) else { return .identity }
        return path.isIdentity ? .identity : .path(path)
    }

    mutating func template(_ key: String) -> PayloadTemplate? {
        guard let value = object[key] else { return nil }
        do { return try PayloadTemplate(value) } catch { fail(key, "invalid payload template: \(error)"); return nil }
    }

    /// A field that holds a reference path or an intrinsic function call (`ErrorPath`, `CausePath`).
    mutating func valueExpression(_ key: String) -> ValueExpression? {
        guard let text = string(key) else { return nil }
        if text.hasPrefix("$") {
            do { return .path(ASLPath(text: text, path: try Path(text))) } catch { fail(key, "invalid path \(text): \(error)"); return nil }
        }
        do { return .intrinsic(try IntrinsicCall(text)) } catch { fail(key, "invalid intrinsic function call \(text): \(error)"); return nil }
    }

    mutating func transition() -> Transition {
        if let next = string("Next") { return .next(next) }
        if object["End"]?.boolValue == true { return .end }
        problems.append(.init(location: location, message: "a state needs either Next or End: true"))
        return .end
    }
}

