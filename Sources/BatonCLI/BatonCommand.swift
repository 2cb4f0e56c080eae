import ArgumentParser

/// The `baton` command: runs Amazon States Language state machines locally or on a PostgreSQL-backed fleet.
public struct BatonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Run Amazon States Language state machines on your own machines, over PostgreSQL.",
        subcommands: [
            RunCommand.self,
            ValidateCommand.self,
            MigrateCommand.self,
            EvalJSONataCommand.self,
            WorkerCommand.self,
            CoordinatorCommand.self,
            CreateStateMachineCommand.self,
            UpdateStateMachineCommand.self,
            DescribeStateMachineCommand.self,
            ListStateMachinesCommand.self,
            DeleteStateMachineCommand.self,
            StartExecutionCommand.self,
            DescribeExecutionCommand.self,
            ListExecutionsCommand.self,
            StopExecutionCommand.self,
            RedriveExecutionCommand.self,
            GetExecutionHistoryCommand.self,
            ServerCommand.self,
            BenchCommand.self,
        ]
    )

    public init() {}
}

extension BatonCommand {
    /// Parses the process arguments and runs the chosen subcommand; the `baton` executable's entry point.
    public static func start() async {
        await (Self.self as any AsyncParsableCommand.Type).main()
    }
}
