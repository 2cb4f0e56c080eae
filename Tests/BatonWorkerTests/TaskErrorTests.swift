import BatonWorker
import Testing

/// How thrown errors become ASL error names (no database).
@Suite struct TaskErrorTests {
    struct InsufficientFunds: Error, CustomStringConvertible {
        var description: String { "balance too low" }
    }
    enum Generic<T>: Error { case failed }

    @Test func aTaskErrorNamesItself() {
        let (name, cause) = taskErrorNameAndCause(TaskFailure("Payments.Declined", cause: "card expired"))
        #expect(name == "Payments.Declined" && cause == "card expired")
    }

    @Test func otherErrorsAreNamedByTheirTypeName() {
        let (name, cause) = taskErrorNameAndCause(InsufficientFunds())
        #expect(name == "InsufficientFunds" && cause == "balance too low")
        #expect(taskErrorNameAndCause(Generic<Int>.failed).name == "Generic")
        #expect(taskErrorNameAndCause(CancellationError()).name == "CancellationError")
    }
}
