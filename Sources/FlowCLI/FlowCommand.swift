public import ArgumentParser
import FlowEngine
import Foundation

/// `flow`: the root command. Subcommands are listed in docs/cli.md with their exit statuses.
public struct FlowCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Declarative batch workflows: validate, run, schedule and inspect DAGs of steps.",
        discussion: "A NAME resolves to Workflows/NAME.yaml or Pipelines/NAME.yaml in the project folder.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ValidateCommand.self, ListCommand.self, GraphCommand.self, RunsCommand.self,
            ShowCommand.self, LogsCommand.self, RetryCommand.self, CancelCommand.self, SchemaCommand.self,
            CronCommand.self, DaemonCommand.self, EvaluateCommand.self,
        ])

    public init() {}

    /// Parses the command line, runs the command, and exits with its documented status.
    /// User mistakes print a message, never a stack trace.
    public static func start() async {
        // Orphaned grandchildren of steps are re-parented to us, so a killed step's whole
        // process group is reaped before its run is recorded as finished.
        Reaper.becomeSubreaper()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { FileHandle.standardError.write(Data(failure.message.utf8)) }
            Foundation.exit(failure.status.rawValue)
        } catch {
            exit(withError: error)
        }
        Foundation.exit(0)
    }
}
