// The result shape of `arn:aws:states:::lambda:invoke`: the function's result under `Payload`, with the
// HTTP metadata AWS adds. Request ids are drawn from the event's random source, so the core stays pure.

import Foundation
import BatonJSON
import ASLExpressions

enum LambdaEnvelope {
    static func wrap(_ payload: JSON, random: inout SeededRandom, now: Date) -> JSON {
        let requestId = JSON.string(uuid(&random))
        let traceId = JSON.string("Root=1-\(String(UInt32(truncatingIfNeeded: random.next()), radix: 16))-\(String(random.next(), radix: 16))")
        let length = JSON.string(String(pythonStyle(payload).utf8.count))
        let date = JSON.string(ASLTime.format(now))
        return [
            "ExecutedVersion": "$LATEST",
            "Payload": payload,
            "SdkHttpMetadata": [
                "AllHttpHeaders": [
                    "X-Amz-Executed-Version": ["$LATEST"],
                    "x-amzn-Remapped-Content-Length": ["0"],
                    "Connection": ["keep-alive"],
                    "x-amzn-RequestId": [requestId],
                    "Content-Length": [length],
                    "Date": [date],
                    "X-Amzn-Trace-Id": [traceId],
                    "Content-Type": ["application/json"],
                ],
                "HttpHeaders": [
                    "Connection": "keep-alive",
                    "Content-Length": length,
                    "Content-Type": "application/json",
                    "Date": date,
                    "X-Amz-Executed-Version": "$LATEST",
                    "x-amzn-Remapped-Content-Length": "0",
                    "x-amzn-RequestId": requestId,
                    "X-Amzn-Trace-Id": traceId,
                ],
                "HttpStatusCode": 200,
            ],
            "SdkResponseMetadata": ["RequestId": requestId],
            "StatusCode": 200,
        ]
    }

    /// A version-4 UUID from the random source.
    static func uuid(_ random: inout SeededRandom) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }
}
