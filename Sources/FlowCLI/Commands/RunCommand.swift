import ArgumentParser
import FlowCore
import FlowEngine
import FlowRuntime
import FlowSpec
import FlowStore
import Foundation

/// `flow run NAME|FILE [-p key=value]…`: validate, then run now and record it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow now and record it.",
        discussion: """
            Exit status: 0 succeeded, 1 failed, 130 cancelled (Ctrl-C or SIGTERM: running steps are \
            stopped, their process groups killed), 65 invalid workflow or parameters, 66 not found, \
            74 database error.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Workflow name (Workflows/NAME.yaml or Pipelines/NAME.yaml) or file path.")
    var workflow: String

    @Option(name: .customShort("p"), help: ArgumentHelp("A parameter value; repeat for several.", valueName: "name=value"))
    var param: [String] = []

    @Flag(help: "Print the plan (order, resolved parameters and commands, secrets masked) and run nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Output: text (live view on a terminal, prefixed lines elsewhere) or json (one event per line).", valueName: "format"))
    var output: OutputFormat = .text

    @Option(help: "Most steps running at once (overrides the workflow's concurrency).")
    var concurrency: Int?

    @Option(
        help: ArgumentHelp(
            "Start the run through a flow daemon's API (e.g. http://127.0.0.1:8080; token from $FLOW_TOKEN) and print its id.",
            valueName: "url"))
    var daemon: String?

    func validate() throws {
        // The same rule as the workflow's `concurrency:` (out-of-range below 1).
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, found \(concurrency)")
        }
    }

    func run() async throws {
        let parsed = try ParamArguments.parse(param)
        let environment = ProcessInfo.processInfo.environment
        do { _ = try RunLauncher.killGrace(environment: environment) } catch { throw CLIFailure(.usage, "error: \(error.message)\n") }
        if let daemon { return try await submit(to: daemon, params: parsed, environment: environment) }
        let console = Console()
        let github = environment["GITHUB_ACTIONS"] == "true"
        let project = global.projectValue
        var launcher = RunLauncher.standard(project: project, store: nil)
        var prepared: PreparedRun
        do {
            let file = try project.resolve(workflow)
            let trigger: RunTrigger = environment["CI"] == "true" || github ? .ci : .manual
            prepared = try launcher.prepare(file: file, params: parsed, trigger: trigger)
        } catch {
            throw CLIFailure(error, github: github)
        }
        // The database is opened only once everything checked out (a dry run opens none), so a
        // rejected run leaves no trace.
        if !dryRun { launcher.store = try global.openStore() }
        if !prepared.warnings.isEmpty {
            console.err(DiagnosticRenderer(sources: prepared.sources).render(prepared.warnings))
        }
        if let concurrency { prepared.request.workflow.concurrency = concurrency }
        if dryRun {
            console.out(DryRun.describe(prepared))
            return
        }
        let renderer = Renderers.make(format: output, console: console, environment: environment, run: prepared)
        let control = RunControl()
        let signals = SignalHandler(control: control, console: console)
        let status: RunStatus
        do {
            status = try await launcher.execute(prepared, observers: [renderer], control: control)
        } catch {
            signals.stop()
            throw CLIFailure(error)
        }
        signals.stop()
        renderer.finish(status: status)
        switch status {
        case .succeeded: return
        case .cancelled: throw CLIFailure(.cancelled, "")
        default: throw CLIFailure(.runFailed, "")
        }
    }
}

/// `--output` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `-p name=value` arguments.
enum ParamArguments {
    static func parse(_ arguments: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for argument in arguments {
            guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
                throw CLIFailure(.usage, "error: -p expects name=value, got '\(argument)'\n")
            }
            values[String(argument[..<eq])] = String(argument[argument.index(after: eq)...])
        }
        return values
    }
}
