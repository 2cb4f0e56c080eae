// The benchmark's result: one figure per measured quantity, each with the issue's target (when it has one),
// whether it was met, and the load average when it was taken. Printed as a table or as JSON.
import BatonJSON
import Foundation

/// A bound a figure should respect.
public struct BenchTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `below` (smaller is better) or `atLeast`.
    public var comparison: String
    /// The bound, in the figure's unit.
    public var bound: Double

    /// The figure must be smaller than `bound`.
    public static func below(_ bound: Double) -> BenchTarget { BenchTarget(comparison: "below", bound: bound) }
    /// The figure must be at least `bound`.
    public static func atLeast(_ bound: Double) -> BenchTarget { BenchTarget(comparison: "atLeast", bound: bound) }

    /// Whether `value` meets the target.
    public func isMet(by value: Double) -> Bool { comparison == "below" ? value < bound : value >= bound }

    /// `< 5` or `≥ 4170`.
    public var description: String { (comparison == "below" ? "< " : "≥ ") + BenchReport.format(bound) }
}

/// One measured quantity.
public struct BenchFigure: Sendable, Hashable, Codable {
    /// `throughput`, `latency`, `fan-out` or `memory`.
    public var scenario: String
    /// What was measured, e.g. `executions/s`.
    public var metric: String
    /// The value.
    public var value: Double
    /// Its unit (`/s`, `ms`, `s`, `MB`, …).
    public var unit: String
    /// The issue's target, if it sets one.
    public var target: BenchTarget?
    /// Whether the target is met (nil without a target).
    public var met: Bool?
    /// The load average when the figure was taken.
    public var load: LoadAverage

    init(_ scenario: String, _ metric: String, _ value: Double, _ unit: String, target: BenchTarget? = nil, load: LoadAverage) {
        self.scenario = scenario
        self.metric = metric
        self.value = value
        self.unit = unit
        self.target = target
        self.met = target.map { $0.isMet(by: value) }
        self.load = load
    }
}

/// Everything one `baton bench` run measured.
public struct BenchReport: Sendable, Codable {
    /// When it started (ISO 8601, UTC).
    public var date: String
    /// The host name.
    public var host: String
    /// Processors the machine has.
    public var processors: Int
    /// The server's version and commit settings (`server_version`, `synchronous_commit`, `fsync`, …).
    public var server: [String: String]
    /// How the fleet was made up, e.g. `1 coordinator process × 2 loops, 1 worker process × 64 slots`.
    public var fleet: String
    /// The figures, in the order measured.
    public var figures: [BenchFigure] = []
    /// Remarks (counts that did not add up, skipped scenarios).
    public var notes: [String] = []

    /// The report as pretty-printed JSON.
    public func json() throws -> String {
        try JSON(encoding: self).serialized(.pretty)
    }

    /// The report as a table for people.
    public func table() -> String {
        var lines = ["baton bench — \(date) on \(host) (\(processors) processors)"]
        if let version = server["server_version"] {
            lines.append("PostgreSQL \(version), synchronous_commit=\(server["synchronous_commit"] ?? "?"), fsync=\(server["fsync"] ?? "?")")
        }
        lines += ["fleet: \(fleet)", ""]
        let header = ["scenario", "metric", "value", "target", "met", "load (1/5/15 min)"]
        let rows = figures.map { figure in
            [figure.scenario, figure.metric, Self.format(figure.value) + " " + figure.unit,
             figure.target.map { "\($0) \(figure.unit)" } ?? "", figure.met.map { $0 ? "yes" : "NO" } ?? "",
             figure.load.description]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let render = { (cells: [String]) in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        lines.append(render(header))
        lines.append(render(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(render)
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    /// A number as people read it: thousands separated, at most 3 significant decimals below 10.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if abs(value) >= 100 {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 0
            formatter.locale = Locale(identifier: "en_US")
            return formatter.string(from: NSNumber(value: value.rounded())) ?? "\(Int(value))"
        }
        return String(format: abs(value) >= 10 ? "%.1f" : "%.2f", value)
    }
}
