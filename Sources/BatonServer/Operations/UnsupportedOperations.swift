// Every operation of the Step Functions service model, so that one Baton does not implement yet is told
// apart from a name that is not an operation at all (both answer UnknownOperationException, as AWS does for
// an unknown target, with a message saying which case it is).
enum ServiceModel {
    /// Every operation name in botocore's stepfunctions 2016-11-23 service model.
    static let operations: Set<String> = [
        "CreateActivity", "CreateStateMachine", "CreateStateMachineAlias", "DeleteActivity", "DeleteStateMachine",
        "DeleteStateMachineAlias", "DeleteStateMachineVersion", "DescribeActivity", "DescribeExecution",
        "DescribeMapRun", "DescribeStateMachine", "DescribeStateMachineAlias", "DescribeStateMachineForExecution",
        "GetActivityTask", "GetExecutionHistory", "ListActivities", "ListExecutions", "ListMapRuns",
        "ListStateMachineAliases", "ListStateMachineVersions", "ListStateMachines", "ListTagsForResource",
        "PublishStateMachineVersion", "RedriveExecution", "SendTaskFailure", "SendTaskHeartbeat", "SendTaskSuccess",
        "StartExecution", "StartSyncExecution", "StopExecution", "TagResource", "TestState", "UntagResource",
        "UpdateMapRun", "UpdateStateMachine", "UpdateStateMachineAlias", "ValidateStateMachineDefinition",
    ]
}
