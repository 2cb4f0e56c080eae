// Checks of the expressions inside fields: paths, payload templates, intrinsic calls, JSONata strings.
// The parsing itself belongs to ASLExpressions; this file decides which parser applies to which field
// and turns parse errors into diagnostics. Workflow-variable references (`$name`) are recognised here so
// that they get the "not yet supported" message rather than a confusing path-syntax one.
import ASLExpressions
import BatonJSON

/// Which kind of path a field holds.
enum PathKind {
    /// InputPath, OutputPath, ItemsPath: a JSONPath (wildcards, filters) on the input or the context object.
    case path
    /// `…Path` fields that select one value: a reference path, `$$` allowed.
    case reference
    /// ResultPath: a reference path into the state's input, no `$$`.
    case resultPath
    /// ErrorPath and CausePath: a reference path or an intrinsic function call.
    case referenceOrIntrinsic
}

extension ValidationRun {
    /// Checks `object[key]` when present: a string holding a path of `kind` (or `null` when `nullable`).
    func checkPathField(_ object: JSONObject, _ key: String, at pointer: String, kind: PathKind, nullable: Bool) {
        guard let value = object[key] else { return }
        let here = pointer.pointer(key)
        switch value {
        case .null where nullable:
            return
        case .string where isJSONataExpression(value):
            return  // reported by rejectJSONataExpressions
        case .string(let path):
            checkPath(path, at: here, kind: kind, field: key)
        default:
            report(here, "\(key) must be a path string\(nullable ? " or null" : ""), not \(value.typeName)")
        }
    }

    /// Checks one path string.
    func checkPath(_ path: String, at pointer: String, kind: PathKind, field: String) {
        if let variable = variableReference(path) {
            if !options.allowVariables { notYetSupported(pointer, "the workflow variable reference \(variable)") }
            return
        }
        if kind == .referenceOrIntrinsic, path.hasPrefix("States.") {
            checkIntrinsicExpression(path, at: pointer)
            return
        }
        if kind == .resultPath, path.hasPrefix("$$") {
            report(pointer, "\(field) cannot point into the context object ($$); it says where in the state's input to put the result")
            return
        }
        checkPathSyntax(path, at: pointer, kind: kind, field: field)
    }

    /// Checks a payload template (Parameters, ItemSelector, ResultSelector, BatchInput): keys ending in `.$`
    /// hold a path or an intrinsic call (compiled by ASLExpressions); other values are literal JSON.
    /// Workflow-variable references get the "not yet supported" diagnostic instead of a syntax check.
    func checkPayloadTemplate(_ template: JSON, at pointer: String, field: String) {
        var usesVariables = false
        scanTemplate(template, at: pointer, usesVariables: &usesVariables)
        if !usesVariables || options.allowVariables {
            checkTemplateSyntax(template, at: pointer)
        }
    }

    /// Walks a template for variable references (reported unless enabled) and literal strings that look
    /// like expressions (warnings).
    private func scanTemplate(_ template: JSON, at pointer: String, usesVariables: inout Bool) {
        switch template {
        case .object(let members):
            for (key, value) in members {
                let here = pointer.pointer(key)
                if key.hasSuffix(".$"), key.count > 2 {
                    guard case .string(let expression) = value else { continue }
                    let variables = expression.hasPrefix("States.")
                        ? intrinsicVariableReferences(expression) : variableReference(expression).map { [$0] } ?? []
                    if !variables.isEmpty {
                        usesVariables = true
                        if !options.allowVariables {
                            notYetSupported(here, "the workflow variable reference \(variables.joined(separator: ", "))")
                        }
                    }
                } else {
                    if case .string(let s) = value, looksLikeExpression(s) {
                        warn(here, "\"\(s)\" looks like a path or intrinsic function but is passed as a literal string; "
                            + "name the field \"\(key).$\" to evaluate it")
                    }
                    scanTemplate(value, at: here, usesVariables: &usesVariables)
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                scanTemplate(element, at: pointer.pointer(index), usesVariables: &usesVariables)
            }
        default:
            return
        }
    }

    /// Checks an intrinsic function call, after looking for workflow-variable arguments.
    func checkIntrinsicExpression(_ text: String, at pointer: String) {
        let variables = intrinsicVariableReferences(text)
        if !variables.isEmpty, !options.allowVariables {
            notYetSupported(pointer, "the workflow variable reference \(variables.joined(separator: ", "))")
            return
        }
        checkIntrinsic(text, at: pointer)
    }

    /// The `$name` references among an intrinsic call's arguments (outside its quoted strings).
    func intrinsicVariableReferences(_ text: String) -> [String] {
        var references: [String] = []
        var inString = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "'" { inString = false }
            } else if character == "'" {
                inString = true
            } else if character == "$", let reference = variableReference(String(text[index...])) {
                references.append(reference)
                index = text.index(index, offsetBy: reference.count)
                continue
            }
            index = text.index(after: index)
        }
        return references
    }

    /// Checks a JSONata-mode value: every `{% … %}` string anywhere inside it is parsed (by
    /// `ValidationOptions.jsonataSyntaxCheck` when given, else by the JSONata module). (While JSONata is not
    /// allowed, the QueryLanguage field already carries the "not yet supported" diagnostic.)
    func checkJSONataTemplate(_ value: JSON, at pointer: String) {
        guard options.allowJSONata else { return }
        let check = options.jsonataSyntaxCheck ?? Self.parseJSONata
        switch value {
        case .string(let s) where isJSONataExpression(value):
            let expression = String(s.dropFirst(2).dropLast(2))
            if let problem = check(expression) {
                report(pointer, "invalid JSONata expression: \(problem)")
            }
        case .object(let members):
            for (key, member) in members { checkJSONataTemplate(member, at: pointer.pointer(key)) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { checkJSONataTemplate(element, at: pointer.pointer(index)) }
        default:
            return
        }
    }

    /// Whether a literal string looks like a path (`$.x`, `$$.x`) or an intrinsic call (`States.X(…)`).
    func looksLikeExpression(_ s: String) -> Bool {
        s == "$" || s.hasPrefix("$.") || s.hasPrefix("$$.") || s.hasPrefix("$[") || (s.hasPrefix("States.") && s.hasSuffix(")"))
    }

    /// Warns about keys ending in `.$` in a value that is never evaluated (a Pass state's Result).
    func warnStaticTemplate(_ value: JSON, at pointer: String) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key.hasSuffix(".$") {
                    warn(pointer.pointer(key), "Result is static: \"\(key)\" is not evaluated; use Parameters to compute values")
                }
                warnStaticTemplate(member, at: pointer.pointer(key))
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { warnStaticTemplate(element, at: pointer.pointer(index)) }
        default:
            return
        }
    }

    /// Whether `value` is a `{% … %}` JSONata expression string.
    func isJSONataExpression(_ value: JSON) -> Bool {
        guard case .string(let s) = value else { return false }
        return s.hasPrefix("{%") && s.hasSuffix("%}") && s.count >= 4
    }

    /// The variable name when `path` is a workflow-variable reference (`$name`, `$name.field`, `$name[0]`).
    func variableReference(_ path: String) -> String? {
        guard path.hasPrefix("$"), path.count > 1 else { return nil }
        let rest = path.unicodeScalars.dropFirst()
        guard let first = rest.first, first == "_" || first.properties.isAlphabetic else { return nil }
        let name = rest.prefix { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        return "$" + String(String.UnicodeScalarView(name))
    }
}
