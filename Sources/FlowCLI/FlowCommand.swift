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
            var command = try parseAsRoot(Self.movingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
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

    /// `arguments` with the project options written before the command name (`flow -C dir run
    /// x`, `--project`, `--db`, also as `--db=path` or `-Cdir`) moved to just after it, where
    /// the command's `GlobalOptions` parse them: argument-parser reads a subcommand's options
    /// only after its name. Anything else is left as it is, so mistakes are still reported.
    static func movingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if ["-C", "--project", "--db"].contains(argument), i + 1 < arguments.count {
                leading += arguments[i...i + 1]
                i += 2
            } else if argument.hasPrefix("--project=") || argument.hasPrefix("--db=")
                || (argument.hasPrefix("-C") && argument.count > 2)
            {
                leading.append(argument)
                i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < arguments.count else { return arguments }
        return [arguments[i]] + leading + arguments[(i + 1)...]
    }
}
