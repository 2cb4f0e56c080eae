// Parsing a JSONPath-mode Choice rule from its JSON, reporting every problem at once with a JSON pointer.
// A rule must carry exactly one "operator": a comparison (with `Variable`), `And`, `Or` or `Not`. The parser
// keeps going after a problem (checking the other fields and the nested rules) so the validator can show
// everything wrong with a definition in one pass.

import ASLExpressions
import BatonJSON

extension ChoiceRule {
    /// Parses a top-level rule (one element of a Choice state's `Choices`, with `Next`) at `location`
    /// (a JSON pointer such as `/States/Check/Choices/0`).
    public static func parseBranch(_ json: JSON, location: String) throws(ChoiceRuleErrors) -> ChoiceBranch {
        var parser = ChoiceRuleParser()
        let parsed = parser.parseRule(json, location: location, topLevel: true)
        guard parser.problems.isEmpty, let rule = parsed?.rule, let next = parsed?.next else {
            throw ChoiceRuleErrors(problems: parser.problems)
        }
        return ChoiceBranch(rule: rule, next: next)
    }

    /// Parses a nested rule (inside `And`, `Or` or `Not`, so without `Next`) at `location`.
    public static func parse(_ json: JSON, location: String) throws(ChoiceRuleErrors) -> ChoiceRule {
        var parser = ChoiceRuleParser()
        let parsed = parser.parseRule(json, location: location, topLevel: false)
        guard parser.problems.isEmpty, let rule = parsed?.rule else { throw ChoiceRuleErrors(problems: parser.problems) }
        return rule
    }
}

/// Collects the problems of one rule tree.
struct ChoiceRuleParser {
    var problems: [ChoiceRuleProblem] = []

    /// What makes a rule what it is: the one operator field it must have.
    private enum Kind {
        case and, or, not
        case comparison(ChoiceOperator, path: Bool)
        case condition
    }

    private static let combinators: [String: Kind] = ["And": .and, "Or": .or, "Not": .not]

    mutating func report(_ location: String, _ message: String) {
        problems.append(ChoiceRuleProblem(location: location, message: message))
    }

    mutating func parseRule(_ json: JSON, location: String, topLevel: Bool) -> (rule: ChoiceRule?, next: String?)? {
        guard case .object(let object) = json else {
            report(location, "a Choice rule must be an object, got \(describe(json))")
            return nil
        }

        var kinds: [(field: String, kind: Kind)] = []
        var unknownFields = 0
        for key in object.keys {
            let here = JSONPointer.appending(key, to: location)
            if let kind = Self.combinators[key] {
                kinds.append((key, kind))
            } else if let (op, path) = ChoiceOperator.fieldNames[key] {
                kinds.append((key, .comparison(op, path: path)))
            } else if key == "Condition" {
                kinds.append((key, .condition))
            } else if key == "Variable" || key == "Next" {
                continue  // checked below
            } else if key == "Comment" {
                if object[key]?.stringValue == nil { report(here, "Comment must be a string, got \(describe(object[key]!))") }
            } else if key == "Assign" && topLevel {
                continue  // the rule's variables: read and checked by its callers (ASLCore's ChoiceState, the validator)
            } else {
                report(here, unknownFieldMessage(key))
                unknownFields += 1
            }
        }

        var next: String? = nil
        if topLevel {
            switch object["Next"] {
            case nil:
                report(location, "missing Next: a top-level Choice rule names the state to go to when it matches")
            case .string(let name)?:
                next = name
            case let other?:
                report(JSONPointer.appending("Next", to: location), "Next must be a state name (a string), got \(describe(other))")
            }
        } else if object["Next"] != nil {
            report(
                JSONPointer.appending("Next", to: location),
                "Next is only allowed on a top-level Choice rule, not on a rule nested in And, Or or Not")
        }

        guard let (field, kind) = kinds.first else {
            if unknownFields > 0 {
                // The unknown field was most likely meant as the operator: its problem says enough.
            } else if object["Variable"] != nil {
                report(location, "this Choice rule has a Variable but no comparison operator (such as StringEquals, NumericEquals or IsPresent)")
            } else {
                report(location, "a Choice rule needs exactly one of And, Or, Not or a comparison operator with a Variable; this one has none")
            }
            return (nil, next)
        }
        guard kinds.count == 1 else {
            let names = kinds.map(\.field).joined(separator: ", ")
            report(location, "a Choice rule takes exactly one operator, this one has \(kinds.count): \(names); combine them with And or Or")
            return (nil, next)
        }

        let here = JSONPointer.appending(field, to: location)
        let value = object[field]!
        switch kind {
        case .and, .or:
            if object["Variable"] != nil {
                report(JSONPointer.appending("Variable", to: location), "Variable is not allowed next to \(field); put it in each nested rule")
            }
            guard case .array(let elements) = value else {
                report(here, "\(field) must be an array of Choice rules, got \(describe(value))")
                return (nil, next)
            }
            if elements.isEmpty { report(here, "\(field) must contain at least one Choice rule") }
            var rules: [ChoiceRule] = []
            for (index, element) in elements.enumerated() {
                let rule = parseRule(element, location: JSONPointer.appending(index, to: here), topLevel: false)?.rule
                if let rule { rules.append(rule) }
            }
            guard rules.count == elements.count, !rules.isEmpty else { return (nil, next) }
            return (field == "And" ? .and(rules) : .or(rules), next)
        case .not:
            if object["Variable"] != nil {
                report(JSONPointer.appending("Variable", to: location), "Variable is not allowed next to Not; put it in the nested rule")
            }
            guard case .object = value else {
                report(here, "Not must be a single Choice rule (an object), got \(describe(value))")
                return (nil, next)
            }
            guard let rule = parseRule(value, location: here, topLevel: false)?.rule else { return (nil, next) }
            return (.not(rule), next)
        case .condition:
            report(here, "Condition is a JSONata Choice rule; JSONata is not supported yet (use Variable with a comparison operator)")
            return (nil, next)
        case .comparison(let op, let path):
            let variable = parseVariable(object["Variable"], ruleLocation: location, field: field)
            let operand = parseOperand(value, op: op, path: path, location: here)
            guard let variable, let operand else { return (nil, next) }
            return (.comparison(ChoiceComparison(variable: variable, operator: op, operand: operand)), next)
        }
    }

    private mutating func parseVariable(_ json: JSON?, ruleLocation: String, field: String) -> ChoicePath? {
        let here = JSONPointer.appending("Variable", to: ruleLocation)
        guard let json else {
            report(ruleLocation, "missing Variable: the path of the value \(field) tests, such as \"$.status\"")
            return nil
        }
        guard case .string(let text) = json else {
            report(here, "Variable must be a path (a string such as \"$.status\"), got \(describe(json))")
            return nil
        }
        return referencePath(text, field: "Variable", location: here)
    }

    /// `text` parsed as a reference path (what AWS requires of `Variable` and of `…Path` operands: `$`, `$$`
    /// or a variable followed only by member names and array indices), or `nil` after reporting why not.
    private mutating func referencePath(_ text: String, field: String, location: String) -> ChoicePath? {
        let path: ChoicePath
        do {
            path = try ChoicePath(text)
        } catch {
            report(location, "\(field) \(quoted(text)) is not a valid path: \(error)")
            return nil
        }
        guard path.path.isReferencePath else {
            report(location, "\(field) must be a reference path (member names and array indices only, such as \"$.items[0].name\"), but \(quoted(text)) uses wildcards, filters, slices or recursive descent")
            return nil
        }
        return path
    }

    private mutating func parseOperand(_ json: JSON, op: ChoiceOperator, path: Bool, location: String) -> ChoiceOperand? {
        let field = op.fieldName(path: path)
        if path {
            guard case .string(let text) = json else {
                report(location, "\(field) takes a path (a string such as \"$.limit\"), got \(describe(json))")
                return nil
            }
            return referencePath(text, field: field, location: location).map(ChoiceOperand.path)
        }
        let pathHint: String
        if case .string(let text) = json, text.hasPrefix("$"), op.hasPathForm {
            pathHint = "; to compare with a value from the input use \(op.fieldName(path: true))"
        } else {
            pathHint = ""
        }
        switch op.family {
        case .string:
            guard case .string(let text) = json else {
                report(location, "\(field) takes a string, got \(describe(json))")
                return nil
            }
            return op == .stringMatches ? .pattern(StringPattern(text)) : .string(text)
        case .numeric:
            guard case .number(let number) = json else {
                report(location, "\(field) takes a number, got \(describe(json))\(pathHint)")
                return nil
            }
            return .number(number)
        case .boolean, .typeTest:
            guard case .bool(let flag) = json else {
                report(location, "\(field) takes true or false, got \(describe(json))\(pathHint)")
                return nil
            }
            return .boolean(flag)
        case .timestamp:
            guard case .string(let text) = json else {
                report(location, "\(field) takes a timestamp string such as \"2016-03-14T01:59:00Z\", got \(describe(json))")
                return nil
            }
            guard let timestamp = ASLTimestamp(text) else {
                report(
                    location,
                    "\(quoted(text)) is not a timestamp AWS accepts (an ISO-8601 extended offset date-time): write an uppercase T and either Z or an offset, such as \"2016-03-14T01:59:00Z\" or \"2016-03-14T01:59:00.5+01:00\"\(pathHint)")
                return nil
            }
            return .timestamp(timestamp)
        }
    }

    private func unknownFieldMessage(_ key: String) -> String {
        if key == "StringMatchesPath" {
            return "StringMatchesPath does not exist in ASL: StringMatches only takes a literal pattern"
        }
        let known = (Array(ChoiceOperator.fieldNames.keys) + ["And", "Or", "Not", "Variable", "Next", "Comment"]).sorted()
        let lowered = key.lowercased()
        // A misspelling: the same name in another case, or one or two letters off.
        let close = known.first { $0.lowercased() == lowered }
            ?? known.map { ($0, editDistance(Array($0.lowercased()), Array(lowered), limit: 2)) }
                .filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
        if let close {
            return "unknown field \(quoted(key)) in a Choice rule; did you mean \(quoted(close))?"
        }
        return "unknown field \(quoted(key)) in a Choice rule"
    }
}

/// The Levenshtein distance between `a` and `b`, or `limit + 1` when it is larger than `limit`.
func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
    guard abs(a.count - b.count) <= limit else { return limit + 1 }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: b.count)
        for (j, y) in b.enumerated() {
            current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
        }
        guard current.min()! <= limit else { return limit + 1 }
        previous = current
    }
    return previous[b.count]
}

/// A short description of a JSON value for messages: its type and, for scalars, the value.
func describe(_ json: JSON) -> String {
    switch json {
    case .null: return "null"
    case .bool(let b): return "the boolean \(b)"
    case .number: return "the number \(json.serialized())"
    case .string(let s): return "the string \(quoted(s))"
    case .array: return "an array"
    case .object: return "an object"
    }
}

/// `text` as a JSON string literal, shortened when long.
func quoted(_ text: String) -> String {
    let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
    return JSON.string(shown).serialized()
}
