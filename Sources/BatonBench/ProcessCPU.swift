// CPU time from /proc, so the benchmark can report CPU per task-state transition (Baton's processes plus
// the PostgreSQL cluster), the figure that stays comparable when the shared machine is busy: wall-clock rates
// drop with the load, CPU per unit of work much less. PostgreSQL's share is the postmaster and its live
// children plus the children it already reaped (cutime/cstime), as the peer scripts' pgcpu.sh counts it; it
// is only readable when the server runs on this machine (else nil).
import Foundation

/// CPU seconds (user + system) read from /proc/PID/stat.
public enum ProcessCPU {
    /// The process's own CPU seconds; nil when it is gone.
    public static func seconds(pid: Int32) -> Double? {
        fields(pid).map { ticks($0[11]) + ticks($0[12]) }
    }

    /// A PostgreSQL cluster's CPU seconds so far, given its postmaster's pid; nil when unreadable.
    public static func clusterSeconds(postmaster: Int32) -> Double? {
        guard let own = fields(postmaster) else { return nil }
        var total = ticks(own[11]) + ticks(own[12]) + ticks(own[13]) + ticks(own[14])
        for child in children(of: postmaster) { total += seconds(pid: child) ?? 0 }
        return total
    }

    /// The parent of `pid` (to find the postmaster from a backend's pid); nil when unreadable.
    public static func parent(of pid: Int32) -> Int32? {
        fields(pid).flatMap { Int32($0[1]) }
    }

    /// The fields after the command name: field 3 of proc(5) (state) is index 0.
    private static func fields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 14 ? fields : nil
    }

    private static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0) }
        }
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    private static func ticks(_ field: Substring) -> Double { (Double(field) ?? 0) / ticksPerSecond }
}
