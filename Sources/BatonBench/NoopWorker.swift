// The function the benchmark's worker processes serve: it returns its input unchanged, so what is measured
// is Baton's own work (claiming, leases, results, coordination), not the function's.
import BatonWorker
import Foundation

/// The benchmark's no-op function.
public enum NoopWorker {
    /// A `Worker` (Swift library) serving `function` by echoing each task's input (already valid JSON, so the
    /// output check is skipped).
    public static func make(function: String, configuration: WorkerConfiguration) -> Worker {
        Worker(function: function, configuration: configuration, outputIsValidated: true) { input, _ in input }
    }
}
