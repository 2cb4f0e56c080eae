// Running `/bin/sh -c COMMAND` with bytes on stdin, collecting stdout and stderr, on a thread of its own.
//
// Why not Foundation's Process: killing it on a timeout must kill everything the shell started (a `sleep` the
// shell forked keeps the pipes open, and the reader would wait for it), so the child is spawned with
// posix_spawn in a process group of its own and killed with kill(-pgid, SIGKILL). One thread per run writes
// stdin (non-blocking), reads both outputs with poll() and then waits for the exit with waitpid(): nothing
// here ever blocks Swift's cooperative pool. Stdout beyond `outputLimit` bytes is drained but not kept, so an
// oversized reply cannot exhaust memory and is still recognised as oversized. An optional timeout kills the
// group the same way and marks the result as timed out. Shared by `baton worker --exec` (BatonWorker) and
// `baton run --function` (BatonLocal).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// How a subprocess ended and what it wrote.
public struct SubprocessResult: Sendable {
    /// The exit status, when it exited normally.
    public var exitStatus: Int32?
    /// The signal that ended it, when one did.
    public var terminationSignal: Int32?
    /// Stdout, at most `outputLimit` bytes.
    public var stdout: [UInt8]
    /// True when stdout was longer than `outputLimit` (the rest was discarded).
    public var stdoutExceededLimit: Bool
    /// Stderr, at most `Subprocess.stderrLimit` bytes.
    public var stderr: [UInt8]
    /// True when the process group was killed because the run's timeout passed.
    public var timedOut: Bool = false
}

/// An error starting a subprocess (creating pipes or spawning `/bin/sh`).
public struct SubprocessError: Error, CustomStringConvertible {
    /// What failed, with the system's reason.
    public var description: String
}

/// One `/bin/sh -c` run in a process group of its own; see the file comment.
public final class Subprocess: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t = 0
    private var killRequested = false
    private var timedOut = false
    private var finished = false

    /// The most stderr kept, in bytes (the rest is drained and discarded).
    public static let stderrLimit = 64 * 1024
    private static let spawnLock = NSLock()

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time because the Glibc module
    /// does not export it; nil where it does not exist (then only close-on-exec descriptors are kept from the child).
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private init() {}

    /// Runs `command` with `input` on stdin and `environment` added to this process's environment. Cancelling the
    /// calling task kills the process group; the call then returns how it ended (by SIGKILL).
    public static func run(
        command: String, input: [UInt8], environment: [String: String] = [:], outputLimit: Int
    ) async throws -> SubprocessResult {
        let process = Subprocess()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SubprocessResult, any Error>) in
                process.startThread(command: command, input: input, environment: environment, outputLimit: outputLimit,
                                    timeoutSeconds: nil) { continuation.resume(with: $0) }
            }
        } onCancel: {
            process.kill()
        }
    }

    /// Starts `command` on a thread of its own and returns at once; `completion` is called once, from that thread,
    /// with how the run ended. After `timeoutSeconds` (when given) the process group is killed and the result has
    /// `timedOut` set. `kill()` on the returned value stops the run early.
    public static func start(
        command: String, input: [UInt8], environment: [String: String] = [:], outputLimit: Int,
        timeoutSeconds: Double? = nil, completion: @escaping @Sendable (Result<SubprocessResult, any Error>) -> Void
    ) -> Subprocess {
        let process = Subprocess()
        process.startThread(command: command, input: input, environment: environment, outputLimit: outputLimit,
                            timeoutSeconds: timeoutSeconds, completion: completion)
        return process
    }

    private func startThread(
        command: String, input: [UInt8], environment: [String: String], outputLimit: Int, timeoutSeconds: Double?,
        completion: @escaping @Sendable (Result<SubprocessResult, any Error>) -> Void
    ) {
        _ = Subprocess.ignoreSIGPIPE
        let thread = Thread { [self] in
            // The deadline is enforced on this thread, between reads (the pump's poll() wakes for it), so it
            // holds however busy Dispatch's shared threads are; the timer below covers a process that closed
            // its outputs and keeps running (the thread then waits in waitpid()).
            let deadline = timeoutSeconds.map { DispatchTime.now() + max($0, 0) }
            var timer: DispatchWorkItem?
            if let deadline {
                let item = DispatchWorkItem { [self] in expire() }
                timer = item
                DispatchQueue.global().asyncAfter(deadline: deadline, execute: item)
            }
            var result = Result {
                try execute(command: command, input: input, environment: environment, outputLimit: outputLimit, deadline: deadline)
            }
            timer?.cancel()
            lock.lock()
            let didTimeOut = timedOut
            lock.unlock()
            if didTimeOut, case .success(var ended) = result {
                ended.timedOut = true
                result = .success(ended)
            }
            completion(result)
        }
        thread.name = "baton-subprocess"
        thread.start()
    }

    /// The timeout passed: kill the process group unless the process was reaped already.
    private func expire() {
        lock.lock()
        let running = !finished
        if running { timedOut = true }
        lock.unlock()
        if running { kill() }
    }

    /// Kills the process group (now, or as soon as it has started).
    public func kill() {
        lock.lock()
        killRequested = true
        let target = pid
        lock.unlock()
        if target > 0 { _ = Glibc.kill(-target, SIGKILL) }
    }

    private func execute(command: String, input: [UInt8], environment: [String: String], outputLimit: Int,
                         deadline: DispatchTime?) throws -> SubprocessResult {
        // Pipes are created close-on-exec and the child is spawned under one process-wide lock, so a child
        // spawned concurrently for another task never inherits this one's pipe ends (which would keep them open
        // and delay end-of-file until that other child exits).
        Subprocess.spawnLock.lock()
        var locked = true
        defer { if locked { Subprocess.spawnLock.unlock() } }
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            throw SubprocessError(description: "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        // Nothing else this process has open reaches the function: inherited descriptors would otherwise outlive
        // us in the function's own children (and, e.g., keep a parent's exit-detection pipe open).
        if let closeFrom = Subprocess.closeFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own (so a kill reaches whatever the shell started), no blocked signals, and
        // default dispositions for the signals a service-lifecycle process ignores or handles.
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environmentStrings = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        environmentStrings.sort()
        let arguments = ["/bin/sh", "-c", command]
        var childPID: pid_t = 0
        let spawnResult = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawn(&childPID, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        Subprocess.spawnLock.unlock()
        locked = false
        guard spawnResult == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw SubprocessError(description: "cannot start /bin/sh: \(String(cString: strerror(spawnResult)))")
        }
        lock.lock()
        pid = childPID
        let killNow = killRequested
        lock.unlock()
        if killNow { _ = Glibc.kill(-childPID, SIGKILL) }

        var result = pump(stdin: stdinPipe[1], stdout: stdoutPipe[0], stderr: stderrPipe[0], input: input, outputLimit: outputLimit,
                          deadline: deadline)
        var status: Int32 = 0
        while waitpid(childPID, &status, 0) < 0 && errno == EINTR {}
        // Reaped: the pid may be reused from now on, so a late kill() must not signal it.
        lock.lock()
        finished = true
        pid = 0
        lock.unlock()
        if status & 0x7f == 0 {
            result.exitStatus = (status >> 8) & 0xff
        } else {
            result.terminationSignal = status & 0x7f
        }
        return result
    }

    /// Writes `input` and reads both outputs until both reach end of file; kills the process group when
    /// `deadline` passes first (its outputs then reach end of file).
    private func pump(stdin: Int32, stdout: Int32, stderr: Int32, input: [UInt8], outputLimit: Int,
                      deadline: DispatchTime?) -> SubprocessResult {
        var result = SubprocessResult(exitStatus: nil, terminationSignal: nil, stdout: [], stdoutExceededLimit: false, stderr: [])
        _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
        var inputFD: Int32 = input.isEmpty ? -1 : stdin
        if inputFD < 0 { close(stdin) }
        var written = 0
        var outFD = stdout, errFD = stderr
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var deadline = deadline
        while outFD >= 0 || errFD >= 0 {
            var waitMilliseconds: Int32 = -1
            if let due = deadline {
                let now = DispatchTime.now()
                if now >= due {
                    expire()
                    deadline = nil
                    continue
                }
                waitMilliseconds = Int32(clamping: (due.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1)
            }
            var fds: [pollfd] = []
            if inputFD >= 0 { fds.append(pollfd(fd: inputFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), waitMilliseconds) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inputFD {
                    let count = input.withUnsafeBytes { raw in
                        write(inputFD, raw.baseAddress! + written, input.count - written)
                    }
                    if count > 0 { written += count }
                    // Done, or the reader went away (EPIPE): either way stdin is finished.
                    if written >= input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        close(inputFD)
                        inputFD = -1
                    }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress!, $0.count) }
                if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                if count <= 0 {
                    close(entry.fd)
                    if entry.fd == outFD { outFD = -1 } else { errFD = -1 }
                    continue
                }
                if entry.fd == outFD {
                    let room = max(outputLimit - result.stdout.count, 0)
                    if count > room { result.stdoutExceededLimit = true }
                    result.stdout.append(contentsOf: buffer[0..<min(count, room)])
                } else {
                    let room = max(Subprocess.stderrLimit - result.stderr.count, 0)
                    result.stderr.append(contentsOf: buffer[0..<min(count, room)])
                }
            }
        }
        if inputFD >= 0 { close(inputFD) }
        return result
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
