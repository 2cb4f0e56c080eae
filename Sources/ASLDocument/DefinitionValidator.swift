// Validation of a loaded definition, as a pass of its own over the JSON: it never stops at the first
// problem, and every problem carries the JSON pointer of where it is. The pass walks the definition like
// a typed decoder would (top level → states → each state's fields by type → Retry/Catch, Choice rules,
// Map and Parallel sub-machines), checking each field's presence, type, range and cross-field rules, then
// checks the transitions of every (sub-)machine: targets exist, every state is reachable.
import BatonJSON

/// Checks a definition and reports every problem in it.
public enum DefinitionValidator {
    /// Every problem in `definition`, each with its location; empty when the definition is valid.
    /// Diagnostics come in document order.
    public static func validate(_ definition: JSON, options: ValidationOptions = .init()) -> [Diagnostic] {
        let run = ValidationRun(options: options)
        run.validateTopLevel(definition)
        return run.diagnostics
    }
}

/// The query language in force for a state.
enum QueryLanguage: String {
    case jsonPath = "JSONPath"
    case jsonata = "JSONata"
}

/// One validation pass: collects diagnostics.
final class ValidationRun {
    let options: ValidationOptions
    private(set) var diagnostics: [Diagnostic] = []
    /// Every state name seen so far, with its location: names are unique across the whole definition.
    var stateNames: [String: String] = [:]
    /// Every Map Label seen so far, with its location.
    var labels: [String: String] = [:]
    /// The definition's top-level QueryLanguage: states without their own (also inside Parallel branches
    /// and Map processors) use it.
    var topLanguage = QueryLanguage.jsonPath

    init(options: ValidationOptions) { self.options = options }

    func report(_ location: String, _ message: String) {
        diagnostics.append(Diagnostic(location: location, message: message))
    }

    func warn(_ location: String, _ message: String) {
        if options.includeWarnings { diagnostics.append(Diagnostic(location: location, message: message, severity: .warning)) }
    }

    func notYetSupported(_ location: String, _ feature: String) {
        report(location, "\(feature) is \(Diagnostic.notYetSupportedPhrase)")
    }

    // MARK: Typed field access that reports wrong types

    /// The member `key` of `object` when it is a string; reports it when present with another type.
    func string(_ object: JSONObject, _ key: String, at pointer: String) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let s) = value else {
            report(pointer.pointer(key), "\(key) must be a string, not \(value.typeName)")
            return nil
        }
        return s
    }

    /// The member `key` when it is an integer number; reports other types and fractional numbers.
    func integer(_ object: JSONObject, _ key: String, at pointer: String) -> Int? {
        guard let value = object[key] else { return nil }
        guard case .number(let n) = value, n.isIntegral, let i = n.exactInt else {
            var message = "\(key) must be an integer, not \(describe(value))"
            if case .string(let s) = value, s.hasPrefix("$") { message += "; to read it from the input, use \(key)Path" }
            report(pointer.pointer(key), message)
            return nil
        }
        return i
    }

    /// The member `key` when it is a number.
    func number(_ object: JSONObject, _ key: String, at pointer: String) -> Double? {
        guard let value = object[key] else { return nil }
        guard case .number(let n) = value else {
            report(pointer.pointer(key), "\(key) must be a number, not \(value.typeName)")
            return nil
        }
        return n.doubleValue
    }

    /// The member `key` when it is a boolean.
    func boolean(_ object: JSONObject, _ key: String, at pointer: String) -> Bool? {
        guard let value = object[key] else { return nil }
        guard case .bool(let b) = value else {
            report(pointer.pointer(key), "\(key) must be true or false, not \(value.typeName)")
            return nil
        }
        return b
    }

    /// The member `key` when it is an object.
    func object(_ object: JSONObject, _ key: String, at pointer: String) -> JSONObject? {
        guard let value = object[key] else { return nil }
        guard case .object(let o) = value else {
            report(pointer.pointer(key), "\(key) must be an object, not \(value.typeName)")
            return nil
        }
        return o
    }

    /// The member `key` when it is an array.
    func array(_ object: JSONObject, _ key: String, at pointer: String) -> [JSON]? {
        guard let value = object[key] else { return nil }
        guard case .array(let a) = value else {
            report(pointer.pointer(key), "\(key) must be an array, not \(value.typeName)")
            return nil
        }
        return a
    }

    /// Reports `key` as missing when it is absent.
    @discardableResult
    func require(_ object: JSONObject, _ key: String, at pointer: String, _ what: String) -> Bool {
        if object[key] != nil { return true }
        report(pointer.pointer(key), "\(what) needs the field \(key)")
        return false
    }

    /// Reports every member of `object` not in `allowed`, with `hint` giving extra advice for some names.
    func rejectUnknownFields(
        _ object: JSONObject, allowed: Set<String>, at pointer: String, in what: String,
        hint: (String) -> String? = { _ in nil }
    ) {
        for key in object.keys where !allowed.contains(key) {
            if let advice = hint(key) {
                report(pointer.pointer(key), advice)
            } else {
                report(pointer.pointer(key), "\(what) does not have a field \(key)\(suggestion(for: key, among: allowed))")
            }
        }
    }

    /// Reports that at most one of `keys` may be present.
    func atMostOne(of keys: [String], in object: JSONObject, at pointer: String) {
        let present = keys.filter { object[$0] != nil }
        if present.count > 1 {
            report(pointer.pointer(present[1]), "\(present.joined(separator: " and ")) cannot both be set; use only one")
        }
    }

    func describe(_ value: JSON) -> String {
        if case .number(let n) = value { return n.jsonText }
        return value.typeName
    }

    /// ` (did you mean X?)` when a known name differs only in letter case or by one or two edits.
    func suggestion(for key: String, among allowed: Set<String>) -> String {
        let lower = key.lowercased()
        if let match = allowed.sorted().first(where: { $0.lowercased() == lower }) { return " (did you mean \(match)?)" }
        let tolerance = key.count >= 6 ? 2 : key.count >= 3 ? 1 : 0
        if tolerance > 0, let match = allowed.sorted().first(where: { editDistance($0.lowercased(), lower) <= tolerance }) {
            return " (did you mean \(match)?)"
        }
        return ""
    }
}

/// Levenshtein distance, for field-name suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    if abs(a.count - b.count) > 2 { return 3 }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
