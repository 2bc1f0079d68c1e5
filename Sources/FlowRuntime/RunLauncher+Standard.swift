import FlowCore
import FlowEngine
import FlowSpec
import FlowSteps
public import FlowStore
public import Foundation

extension RunLauncher {
    /// A launcher with the real engine: processes through `SystemAttemptRunner`, every
    /// built-in kind, the wall clock.
    public static func standard(project: Project, store: RunStore?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> RunLauncher
    {
        let executors = StepExecutorSet(BuiltinKinds.executors())
        // FLOW_KILL_GRACE: how long a step's process group has between TERM and KILL (default 5s).
        let grace = environment["FLOW_KILL_GRACE"].flatMap(DurationText.parse) ?? .seconds(5)
        let engine = Engine(runner: SystemAttemptRunner(killGrace: grace), executors: executors)
        return RunLauncher(
            project: project, store: store, engine: engine, loader: WorkflowLoader(catalog: executors.catalog),
            environment: environment)
    }
}
