// Timestamps in AWS JSON 1.0 are epoch seconds as a JSON number (with milliseconds as a fraction), which is
// what botocore, the aws CLI and every SDK parse for this protocol.
import BatonJSON
import Foundation

/// AWS JSON 1.0 timestamps.
public enum AWSTimestamp {
    /// `date` as epoch seconds with millisecond precision (`1700000000.123`), or a whole number when it has
    /// no milliseconds.
    public static func json(_ date: Date) -> JSON {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        if millis.truncatingRemainder(dividingBy: 1000) == 0 { return .number(.int(Int64(millis / 1000))) }
        return .number(.double(millis / 1000))
    }
}
