// A DISTRIBUTED Map's map run, named as AWS names it: each entry into the Map state is a new map run,
// `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID` (LABEL is the state's `Label`, else its name; ID a
// UUID), and its child executions are `arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:NAME`.

/// The name of one map run of a `DISTRIBUTED` Map state.
public struct MapRunIdentity: Sendable, Codable, Hashable {
    /// `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`.
    public var arn: String
    /// `MACHINE/LABEL`: the state machine name the map run's child executions carry in their ARNs.
    public var childMachineName: String

    /// The map run `id` of the Map state labelled `label` in the state machine `stateMachineArn`
    /// (`arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE`).
    public init(stateMachineArn: String, label: String, id: String) {
        let prefix = "arn:aws:states:"
        var regionAndAccount = "::"
        var machine = stateMachineArn
        if stateMachineArn.hasPrefix(prefix), let range = stateMachineArn.range(of: ":stateMachine:") {
            regionAndAccount = String(stateMachineArn[stateMachineArn.index(stateMachineArn.startIndex, offsetBy: prefix.count)..<range.lowerBound])
            // A version or alias ARN (`…:MACHINE:3`) names the state machine MACHINE.
            machine = String(stateMachineArn[range.upperBound...].split(separator: ":", maxSplits: 1).first ?? "")
        }
        childMachineName = "\(machine)/\(label)"
        arn = "\(prefix)\(regionAndAccount):mapRun:\(childMachineName):\(id)"
    }
}
