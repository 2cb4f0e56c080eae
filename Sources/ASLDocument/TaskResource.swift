/// What a Task state's `Resource` names, and so which Baton function serves it.
///
/// Forms Baton maps onto a function name:
/// - `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` — the function `NAME`;
/// - `arn:aws:states:::lambda:invoke[.waitForTaskToken]` — the function named by `Parameters.FunctionName`
///   (a name or a Lambda ARN), whose result is wrapped in Lambda's envelope (`Payload`, `StatusCode`, …);
/// - `arn:aws:states:REGION:ACCOUNT:activity:NAME` — the activity `NAME`, served by Baton workers of that name;
/// - `baton:function:NAME[.waitForTaskToken]` — Baton's short form for a native worker function;
/// - `arn:aws:states:::states:startExecution[.sync|.sync:2]` — a child state machine (distributed engine).
public enum TaskResource: Sendable, Hashable {
    /// How a task's completion is awaited.
    public enum Pattern: String, Sendable, Hashable {
        /// The task's result is the function's result (request/response).
        case requestResponse
        /// `.sync`: wait for the child job to finish.
        case sync
        /// `.sync:2`: wait for the child job, output parsed as JSON.
        case sync2
        /// `.waitForTaskToken`: wait for SendTaskSuccess/Failure with the task token.
        case waitForTaskToken
    }

    case lambdaFunction(name: String, qualifier: String?)
    case lambdaInvoke(pattern: Pattern)
    case activity(name: String)
    case batonFunction(name: String, pattern: Pattern)
    case startExecution(pattern: Pattern)

    /// Parses a `Resource` string; `nil` when Baton cannot map it.
    public init?(parsing resource: String) {
        if resource.hasPrefix("baton:function:") {
            var name = String(resource.dropFirst("baton:function:".count))
            var pattern = Pattern.requestResponse
            if name.hasSuffix(".waitForTaskToken") {
                name = String(name.dropLast(".waitForTaskToken".count))
                pattern = .waitForTaskToken
            }
            guard !name.isEmpty else { return nil }
            self = .batonFunction(name: name, pattern: pattern)
            return
        }
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 6, parts[0] == "arn" else { return nil }
        let service = parts[2]
        switch service {
        case "lambda" where parts[5] == "function" && parts.count >= 7 && parts.count <= 8 && !parts[6].isEmpty:
            self = .lambdaFunction(name: parts[6], qualifier: parts.count == 8 ? parts[7] : nil)
        case "states" where parts[3].isEmpty && parts[4].isEmpty:
            let rest = parts[5...].joined(separator: ":")
            switch rest {
            case "lambda:invoke": self = .lambdaInvoke(pattern: .requestResponse)
            case "lambda:invoke.waitForTaskToken": self = .lambdaInvoke(pattern: .waitForTaskToken)
            case "states:startExecution": self = .startExecution(pattern: .requestResponse)
            case "states:startExecution.sync": self = .startExecution(pattern: .sync)
            case "states:startExecution.sync:2": self = .startExecution(pattern: .sync2)
            case "states:startExecution.waitForTaskToken": self = .startExecution(pattern: .waitForTaskToken)
            default: return nil
            }
        case "states" where parts[5] == "activity" && parts.count == 7 && !parts[6].isEmpty:
            self = .activity(name: parts[6])
        default:
            return nil
        }
    }

    /// The function name this resource names directly, when it names one (the `lambda:invoke` form takes
    /// it from `Parameters.FunctionName` at run time; see `functionName(fromFunctionNameParameter:)`).
    public var staticFunctionName: String? {
        switch self {
        case .lambdaFunction(let name, _), .activity(let name), .batonFunction(let name, _): name
        case .lambdaInvoke, .startExecution: nil
        }
    }

    /// The function name in a `lambda:invoke` task's `FunctionName`: a bare name, `NAME:QUALIFIER`, a partial
    /// ARN (`ACCOUNT:function:NAME`) or a full Lambda function ARN.
    public static func functionName(fromFunctionNameParameter value: String) -> String {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let i = parts.firstIndex(of: "function"), i + 1 < parts.count { return parts[i + 1] }
        return parts[0]
    }
}
