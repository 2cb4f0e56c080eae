// The bridge to the parsers of ASLExpressions (paths, intrinsic calls, payload templates) and ASLChoice
// (Choice rules): the validator parses with exactly the code the interpreter compiles definitions with,
// so a definition that validates also compiles, and turns their errors into located diagnostics.
import ASLExpressions
import BatonJSON

extension ValidationRun {
    /// Parses a path and checks it is of the kind the field takes.
    func checkPathSyntax(_ text: String, at pointer: String, kind: PathKind, field: String) {
        guard text.hasPrefix("$") else {
            report(pointer, "\(field) must be a path starting with $ (or $$ for the context object), not \"\(text)\"")
            return
        }
        let path: Path
        do {
            path = try Path(text)
        } catch {
            report(pointer, "\(field) \"\(text)\" is not a valid path: \(error.message)")
            return
        }
        switch kind {
        case .path:
            return
        case .reference, .referenceOrIntrinsic, .resultPath:
            if !path.isReferencePath {
                report(pointer, "\(field) must be a reference path (member names and array indices only, "
                    + "no wildcards, filters, slices or ..), not \"\(text)\"")
            }
        }
    }

    /// Parses an intrinsic function call.
    func checkIntrinsic(_ text: String, at pointer: String) {
        do {
            _ = try IntrinsicCall(text)
        } catch {
            report(pointer, "\"\(text)\" is not a valid intrinsic function call: \(error.message)")
        }
    }

    /// Compiles a payload template as the interpreter will, reporting each bad `.$` entry where it is.
    func checkTemplateSyntax(_ template: JSON, at pointer: String) {
        do {
            _ = try PayloadTemplate(template)
        } catch {
            for problem in error.problems {
                report(pointer + problem.location, problem.message)
            }
        }
    }
}
