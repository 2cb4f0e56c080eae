// Running the deep part of an evaluation on a thread with a large stack.
//
// Evaluation is recursive, and Swift's cooperative thread pool (where callers usually are) has small
// stacks. Rather than limit JSONata to a shallow depth, the evaluator moves to a thread it starts
// itself, with a 512 MiB stack (address space only; pages are committed as touched), once the depth
// passes `Evaluator.hopDepth`, and blocks the calling thread until that sub-evaluation ends. Shallow
// evaluations, nearly all of them, never leave the caller's thread. The depth limit
// (`JSONataEnvironment.maximumDepth`) keeps the big stack from overflowing.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private final class Job: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

private let bigStackSize = 512 << 20

extension Evaluator {
    func runOnBigStack<T>(_ body: @escaping () throws(JSONataError) -> T) throws(JSONataError) -> T {
        var result: Result<T, JSONataError>? = nil
        let job = Job {
            self.onBigStack = true
            do throws(JSONataError) {
                result = .success(try body())
            } catch {
                result = .failure(error)
            }
            self.onBigStack = false
        }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, bigStackSize)
        let box = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let rc = pthread_create(&thread, &attr, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.body()
            return nil
        }, box)
        pthread_attr_destroy(&attr)
        if rc != 0 {
            Unmanaged<Job>.fromOpaque(box).release()
            throw JSONataError(code: "U1001", message: "Could not start a thread for a deep evaluation")
        }
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        pthread_join(thread!, nil)
        #endif
        return try result!.get()
    }
}
