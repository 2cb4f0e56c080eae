// Filter expressions, `[?(…)]`, as Jayway JSONPath evaluates them: `@` is the value being tested,
// `$` the document root; a path alone tests existence; ordering comparisons between values of
// different types are false, while `==` lets a number equal a string holding it; `!=` is true
// when the left side is missing.

import BatonJSON
#if canImport(Foundation)
import Foundation
#endif

/// A parsed filter predicate.
indirect enum FilterExpression: Sendable, Hashable {
    case or(FilterExpression, FilterExpression)
    case and(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// A path on its own: true when it selects something.
    case exists(FilterOperand)
    case compare(FilterOperand, FilterOperator, FilterOperand)
}

/// One side of a comparison.
enum FilterOperand: Sendable, Hashable {
    case path(PathRoot, [PathSegment])
    case value(JSON)
    case regex(FilterRegex)
}

/// A `/pattern/flags` literal, compiled once when the path is parsed. Jayway matches it against
/// the whole string.
struct FilterRegex: Sendable, Hashable {
    let pattern: String
    let caseInsensitive: Bool
    #if canImport(Foundation)
    private let compiled: CompiledRegex
    #endif

    /// Nil when `pattern` is not a valid regular expression.
    init?(pattern: String, caseInsensitive: Bool) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        #if canImport(Foundation)
        guard let regex = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else {
            return nil
        }
        compiled = CompiledRegex(regex)
        #endif
    }

    func matchesWhole(_ s: String) -> Bool {
        #if canImport(Foundation)
        let range = NSRange(s.startIndex..., in: s)
        guard let match = compiled.regex.firstMatch(in: s, options: [.anchored], range: range) else { return false }
        return match.range == range
        #else
        return false
        #endif
    }

    static func == (a: FilterRegex, b: FilterRegex) -> Bool { a.pattern == b.pattern && a.caseInsensitive == b.caseInsensitive }
    func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(caseInsensitive)
    }
}

#if canImport(Foundation)
/// NSRegularExpression is immutable and documented as safe to use from several threads.
private final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
#endif

/// The comparison operators Jayway knows.
enum FilterOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case matches = "=~", `in` = "in", notIn = "nin", subsetOf = "subsetof", anyOf = "anyof", noneOf = "noneof"
    case size = "size", empty = "empty", contains = "contains"
}

// MARK: - Evaluation

/// What an operand evaluates to: a value, nothing (a missing path) or a regular expression.
enum FilterValue {
    case value(JSON)
    case undefined
    case regex(FilterRegex)
}

extension FilterExpression {
    /// Whether `item` passes this predicate; `root` is what `$` means inside the filter.
    func test(_ item: JSON, root: JSON, scope: ExpressionScope?) -> Bool {
        switch self {
        case .or(let a, let b): return a.test(item, root: root, scope: scope) || b.test(item, root: root, scope: scope)
        case .and(let a, let b): return a.test(item, root: root, scope: scope) && b.test(item, root: root, scope: scope)
        case .not(let inner): return !inner.test(item, root: root, scope: scope)
        case .exists(let operand):
            if case .value = operand.evaluate(item, root: root, scope: scope) { return true }
            return false
        case .compare(let l, let op, let r):
            return compare(l.evaluate(item, root: root, scope: scope), op, r.evaluate(item, root: root, scope: scope))
        }
    }

    private func compare(_ left: FilterValue, _ op: FilterOperator, _ right: FilterValue) -> Bool {
        if op == .notEqual {
            return !compare(left, .equal, right)
        }
        guard case .value(let l) = left else { return false }
        if op == .matches {
            guard case .regex(let regex) = right, case .string(let s) = l else { return false }
            return regex.matchesWhole(s)
        }
        guard case .value(let r) = right else { return false }
        switch op {
        case .equal: return jaywayEquals(l, r)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Int
            switch (l, r) {
            case let (.number(a), .number(b)): order = a < b ? -1 : (a == b ? 0 : 1)
            case let (.string(a), .string(b)): order = a < b ? -1 : (a == b ? 0 : 1)
            default: return false
            }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        case .in: return r.arrayValue?.contains(l) ?? false
        case .notIn: return !(r.arrayValue?.contains(l) ?? false)
        case .subsetOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return a.allSatisfy(b.contains)
        case .anyOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return a.contains(where: b.contains)
        case .noneOf:
            guard let a = l.arrayValue, let b = r.arrayValue else { return false }
            return !a.contains(where: b.contains)
        case .size:
            guard let n = r.intValue else { return false }
            switch l {
            case .array(let a): return a.count == n
            case .string(let s): return s.count == n
            default: return false
            }
        case .empty:
            guard let wanted = r.boolValue else { return false }
            switch l {
            case .array(let a): return a.isEmpty == wanted
            case .string(let s): return s.isEmpty == wanted
            default: return false
            }
        case .contains:
            switch (l, r) {
            case let (.string(a), .string(b)): return a.contains(b)
            case let (.array(a), _): return a.contains(r)
            default: return false
            }
        case .notEqual, .matches: return false
        }
    }

    /// Jayway's `==`: like JSON equality, except that a number equals a string holding the same
    /// number, and a string equals a number whose text it is.
    private func jaywayEquals(_ l: JSON, _ r: JSON) -> Bool {
        switch (l, r) {
        case (.number(let n), .string(let s)):
            guard case .number(let m)? = try? JSON(parsing: s) else { return false }
            return n == m
        case (.string(let s), .number(let n)):
            return s == javaNumberText(n)
        default:
            return l == r
        }
    }
}

extension FilterOperand {
    func evaluate(_ item: JSON, root: JSON, scope: ExpressionScope?) -> FilterValue {
        switch self {
        case .value(let v): return .value(v)
        case .regex(let r): return .regex(r)
        case .path(let pathRoot, let segments):
            let start: JSON?
            switch pathRoot {
            case .current: start = item
            case .input: start = root
            case .context: start = scope?.context
            case .variable(let name): start = scope?.variables[name]
            }
            guard let start else { return .undefined }
            if segments.allSatisfy(\.isDefinite) {
                if case .found(let v) = selectDefinite(segments, from: start, root: root, scope: scope) { return .value(v) }
                return .undefined
            }
            return .value(.array(selectIndefinite(segments, from: start, root: root, scope: scope)))
        }
    }
}
