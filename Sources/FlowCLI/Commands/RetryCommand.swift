import ArgumentParser
import FlowCore
import FlowEngine
import FlowRuntime
import Foundation

/// `flow retry RUN`: run again what did not succeed, reusing the outputs of what did.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Start a new run of a failed, cancelled or interrupted run that runs only what did not succeed.",
        discussion:
            "Steps that succeeded are not run again; their outputs are reused. The new run shares the old run's workspace and parameters. Exit status as for flow run."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (a unique prefix is enough).") var run: String
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        let console = Console()
        let environment = ProcessInfo.processInfo.environment
        do { _ = try RunLauncher.killGrace(environment: environment) } catch { throw CLIFailure(.usage, "error: \(error.message)\n") }
        let launcher = RunLauncher.standard(project: global.projectValue, store: try global.openStore())
        let prepared: PreparedRun
        do { prepared = try launcher.prepareRetry(of: run) } catch { throw CLIFailure(error) }
        console.err(
            "retrying \(prepared.record.retryOf?.rawValue ?? run) as \(prepared.record.id) (reusing \(prepared.reusedRecords.count) succeeded step run\(prepared.reusedRecords.count == 1 ? "" : "s"))\n"
        )
        let renderer = Renderers.make(format: output, console: console, environment: environment, run: prepared)
        let control = RunControl()
        let signals = SignalHandler(control: control, console: console)
        let status: RunStatus
        do { status = try await launcher.execute(prepared, observers: [renderer], control: control) } catch {
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
