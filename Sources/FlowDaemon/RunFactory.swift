import FlowCore
import FlowEngine
import FlowRuntime
import FlowStore
import Foundation

/// Makes runs from a workflow already in memory — the catalog's running version, which may
/// differ from the file on disk when the latest edit does not load — through the same
/// `RunPreparer` that `RunLauncher.prepare` uses for a file.
struct RunFactory: Sendable {
    let project: Project
    let environment: [String: String]
    let now: @Sendable () -> Date

    /// A new run of `workflow` (from `file`, absolute) with status `queued`.
    /// - Throws: `RuntimeError` `.invalidParams`, `.missingSecret`.
    func make(
        _ workflow: Workflow, file: String, params: [String: String], trigger: RunTrigger, scheduledFor: Date? = nil,
        scheduleKey: String? = nil
    ) throws(RuntimeError) -> (RunRequest, Run) {
        try RunPreparer(project: project, environment: environment, now: now).prepare(
            workflow, file: file, params: params, trigger: trigger, scheduledFor: scheduledFor, scheduleKey: scheduleKey)
    }

    /// The step runs to create for `workflow`: one per plan unit (matrix combinations expanded).
    static func steps(of workflow: Workflow) -> [StepID] {
        let graph = WorkflowGraph.build(workflow.steps).0
        return RunPlan(workflow: workflow, graph: graph).units.map(\.id)
    }
}
