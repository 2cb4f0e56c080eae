/// Why a definition could not be turned into a `StateMachine`: every problem found, each with the JSON
/// pointer of the field at fault. A definition that passed `DefinitionValidator` normally builds; this
/// error guards the interpreter against one that did not.
public struct StateMachineError: Error, Sendable, CustomStringConvertible {
    /// One problem: where (a JSON pointer) and what.
    public struct Problem: Sendable, Hashable {
        public var location: String
        public var message: String
        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }
    }

    /// Every problem found.
    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String {
        problems.map { "\($0.location.isEmpty ? "/" : $0.location): \($0.message)" }.joined(separator: "\n")
    }
}
