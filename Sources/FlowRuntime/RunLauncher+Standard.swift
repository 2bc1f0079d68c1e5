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
        // A bad FLOW_KILL_GRACE is rejected by the commands (`killGrace`) before they get here.
        let grace = (try? killGrace(environment: environment)) ?? .seconds(5)
        let engine = Engine(runner: SystemAttemptRunner(killGrace: grace), executors: executors)
        return RunLauncher(
            project: project, store: store, engine: engine, loader: WorkflowLoader(catalog: executors.catalog),
            environment: environment)
    }

    /// `FLOW_KILL_GRACE`: how long a step's process group has between TERM and KILL; 5 s when
    /// unset. A duration as workflows write them (`"10s"`, `"500ms"`).
    /// - Throws: `RuntimeError(.invalidParams)` naming the variable, its value and the
    ///   expected form when it is set but not a duration.
    public static func killGrace(environment: [String: String]) throws(RuntimeError) -> Duration {
        guard let text = environment["FLOW_KILL_GRACE"] else { return .seconds(5) }
        guard let grace = DurationText.parse(text) else {
            throw RuntimeError(
                .invalidParams,
                "FLOW_KILL_GRACE='\(text)' is not a duration; write a number with a unit (ms, s, m, h, d), such as 5s or 500ms")
        }
        return grace
    }
}
