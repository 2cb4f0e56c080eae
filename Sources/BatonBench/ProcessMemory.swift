// What the benchmark reads about processes and the machine from /proc (Linux): a process's resident size
// (VmRSS) and peak resident size (VmHWM) from /proc/PID/status, and the load average from /proc/loadavg, so
// every figure is printed beside how busy the shared machine was when it was taken.
import Foundation

/// A process's memory as /proc/PID/status reports it, in bytes.
public struct ProcessMemory: Sendable, Hashable, Codable {
    /// Resident set size now (VmRSS).
    public var residentBytes: Int
    /// Peak resident set size since the process started (VmHWM).
    public var peakResidentBytes: Int

    /// Reads /proc/`pid`/status; nil when the process is gone or the file is unreadable (not Linux).
    public static func read(pid: Int32) -> ProcessMemory? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var rss: Int?
        var hwm: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kilobytes(line) }
            if line.hasPrefix("VmHWM:") { hwm = kilobytes(line) }
        }
        guard let rss, let hwm else { return nil }
        return ProcessMemory(residentBytes: rss * 1024, peakResidentBytes: hwm * 1024)
    }

    /// `VmRSS:     12345 kB` → 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
    }
}

/// The machine's load average, as `uptime` prints it.
public struct LoadAverage: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Over the last minute.
    public var one: Double
    /// Over the last five minutes.
    public var five: Double
    /// Over the last fifteen minutes.
    public var fifteen: Double

    /// Reads /proc/loadavg; zeros where it is unavailable.
    public static func read() -> LoadAverage {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        let fields = text.split(separator: " ").prefix(3).map { Double($0) ?? 0 }
        guard fields.count == 3 else { return LoadAverage(one: 0, five: 0, fifteen: 0) }
        return LoadAverage(one: fields[0], five: fields[1], fifteen: fields[2])
    }

    /// `1.23 0.98 0.70`.
    public var description: String { String(format: "%.2f %.2f %.2f", one, five, fifteen) }
}
