import BatonJSON

@testable import ASLExpressions

/// Parses JSON text in a test (the texts are the test's own, so they are known to be valid).
func json(_ text: String) -> JSON { try! JSON(parsing: text) }

/// The ASL error `body` throws, or nil when it returns normally.
func aslError(_ body: () throws(ASLError) -> JSON) -> ASLError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
