// Runs one task's function as a subprocess: `/bin/sh -c COMMAND` with the task input on stdin.
// Everything blocking (writing stdin, reading stdout/stderr, waiting for exit) happens on a thread this
// file starts for the task, never on Swift's cooperative pool. A timeout terminates the process.

import Foundation
import BatonJSON

/// How a function's process ended.
struct FunctionProcessResult: Sendable {
    var exitStatus: Int32
    var stdout: Data
    var stderr: Data
    /// Set when the process was killed because its deadline passed.
    var timedOut: Bool
}

/// A running function process that can be killed.
final class FunctionProcess: @unchecked Sendable {
    private let lock = NSLock()
    private var process: Process?
    private var killed = false
    private var timedOut = false

    /// Starts `command` on a thread of its own; `completion` is called once, from that thread.
    init(command: String, input: Data, timeoutSeconds: Double?,
         completion: @escaping @Sendable (Result<FunctionProcessResult, Error>) -> Void) {
        let thread = Thread { [self] in
            completion(Result { try self.execute(command: command, input: input, timeoutSeconds: timeoutSeconds) })
        }
        thread.name = "baton-function"
        thread.start()
    }

    /// Kills the process (when its run was stopped).
    func kill() {
        lock.lock()
        killed = true
        let p = process
        lock.unlock()
        if let p, p.isRunning { p.terminate() }
    }

    private func execute(command: String, input: Data, timeoutSeconds: Double?) throws -> FunctionProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        lock.lock()
        if killed { lock.unlock(); return FunctionProcessResult(exitStatus: -1, stdout: Data(), stderr: Data(), timedOut: false) }
        self.process = process
        lock.unlock()
        try process.run()

        let group = DispatchGroup()
        let errBox = DataBox()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            // A function that exits without reading its input must not fail the write.
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
            group.leave()
        }
        var timer: DispatchWorkItem?
        if let timeoutSeconds {
            let item = DispatchWorkItem { [self] in
                lock.lock()
                timedOut = true
                lock.unlock()
                if process.isRunning { process.terminate() }
            }
            timer = item
            DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: item)
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        timer?.cancel()
        lock.lock()
        let didTimeOut = timedOut
        lock.unlock()
        return FunctionProcessResult(exitStatus: process.terminationStatus, stdout: out, stderr: errBox.data, timedOut: didTimeOut)
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
