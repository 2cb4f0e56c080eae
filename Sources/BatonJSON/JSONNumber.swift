/// A JSON number: an exact 64-bit integer when the text had no fraction or exponent and fits, otherwise a `Double`.
///
/// Two numbers are equal when their values are (`1 == 1.0`).
public enum JSONNumber: Sendable {
    case int(Int64)
    case double(Double)

    /// The value as a `Double` (exact for integers up to 2^53).
    public var doubleValue: Double {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        }
    }

    /// The value as an `Int` when it has no fractional part and fits.
    public var exactInt: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d):
            guard d.isFinite, d.rounded(.towardZero) == d else { return nil }
            return Int(exactly: d)
        }
    }

    /// Whether the value has no fractional part (`2`, `2.0`, `1e3`).
    public var isIntegral: Bool {
        switch self {
        case .int: true
        case .double(let d): d.isFinite && d.rounded(.towardZero) == d
        }
    }
}

extension JSONNumber: Equatable, Comparable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): a == b
        default: lhs.doubleValue == rhs.doubleValue
        }
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): a < b
        default: lhs.doubleValue < rhs.doubleValue
        }
    }
}

extension JSONNumber: Hashable {
    /// Integral values hash as integers so that `1` and `1.0` hash alike.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .int(let i): hasher.combine(i)
        case .double(let d):
            if let i = Int64(exactly: d) { hasher.combine(i) } else { hasher.combine(d) }
        }
    }
}
