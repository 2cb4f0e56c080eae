// The execution-wide part of the context object (`$$.Execution`, `$$.StateMachine`) and how a state's
// context object is assembled from it. Built only for states that read `$$`.

import Foundation
import BatonJSON

/// What an execution knows about itself: the values behind `$$.Execution` and `$$.StateMachine`.
public struct ExecutionContext: Sendable, Codable, Hashable {
    /// `$$.Execution.Id`: the execution ARN.
    public var executionArn: String
    /// `$$.Execution.Name`.
    public var executionName: String
    /// `$$.Execution.Input`.
    @JSONCoded public var input: JSON
    /// `$$.Execution.StartTime`.
    public var startTime: Date
    /// `$$.Execution.RoleArn`.
    public var roleArn: String
    /// `$$.Execution.RedriveCount`.
    public var redriveCount: Int
    /// `$$.StateMachine.Id`: the state machine ARN.
    public var stateMachineArn: String
    /// `$$.StateMachine.Name`.
    public var stateMachineName: String

    /// An execution context from its values.
    public init(executionArn: String, executionName: String, input: JSON, startTime: Date, roleArn: String,
                redriveCount: Int = 0, stateMachineArn: String, stateMachineName: String) {
        self.executionArn = executionArn
        self.executionName = executionName
        self.input = input
        self.startTime = startTime
        self.roleArn = roleArn
        self.redriveCount = redriveCount
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
    }

    /// The ARNs AWS would use for a state machine and execution of these names in this region and account:
    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`, `arn:aws:states:REGION:ACCOUNT:execution:NAME:EXEC`
    /// (for an EXPRESS state machine's execution, `…:express:NAME:EXEC:ID` with `expressId`), and the role
    /// `arn:aws:iam::ACCOUNT:role/baton-execution-role`.
    public init(stateMachineName: String, executionName: String, region: String, account: String,
                input: JSON, startTime: Date, roleArn: String? = nil, expressId: String? = nil) {
        self.init(
            executionArn: expressId.map { "arn:aws:states:\(region):\(account):express:\(stateMachineName):\(executionName):\($0)" }
                ?? "arn:aws:states:\(region):\(account):execution:\(stateMachineName):\(executionName)",
            executionName: executionName, input: input, startTime: startTime,
            roleArn: roleArn ?? "arn:aws:iam::\(account):role/baton-execution-role",
            stateMachineArn: "arn:aws:states:\(region):\(account):stateMachine:\(stateMachineName)",
            stateMachineName: stateMachineName)
    }

    /// The context object seen by a state.
    func contextObject(state: String, enteredTime: Date, retryCount: Int?, mapItem: (index: Int, value: JSON)?,
                       taskToken: String?) -> JSON {
        var execution = JSONObject(minimumCapacity: 6)
        execution["Id"] = .string(executionArn)
        execution["Input"] = input
        execution["StartTime"] = .string(ASLTime.format(startTime))
        execution["Name"] = .string(executionName)
        execution["RoleArn"] = .string(roleArn)
        execution["RedriveCount"] = .int(redriveCount)
        var stateObject: JSONObject = ["Name": .string(state), "EnteredTime": .string(ASLTime.format(enteredTime))]
        if let retryCount { stateObject["RetryCount"] = .int(retryCount) }
        var object: JSONObject = [
            "Execution": .object(execution),
            "StateMachine": ["Id": .string(stateMachineArn), "Name": .string(stateMachineName)],
            "State": .object(stateObject),
        ]
        if let taskToken { object["Task"] = ["Token": .string(taskToken)] }
        if let mapItem { object["Map"] = ["Item": ["Index": .int(mapItem.index), "Value": mapItem.value]] }
        return .object(object)
    }
}
