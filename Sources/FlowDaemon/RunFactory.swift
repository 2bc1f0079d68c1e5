import FlowCore
import FlowEngine
import FlowRuntime
import FlowStore
import Foundation

/// Makes runs from a workflow already in memory — the catalog's running version, which may
/// differ from the file on disk when the latest edit does not load — as `RunLauncher.prepare`
/// makes them from a file: parameters typed, secrets read, id, workspace and record.
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
        let typed: [String: ExpressionValue]
        switch ParamResolver.resolve(params, declared: workflow.params) {
        case .success(let values): typed = values
        case .failure(let problems): throw RuntimeError(.invalidParams, problems.description)
        }
        let secrets = try SecretResolver.resolve(workflow.secrets, environment: environment, baseDirectory: project.root)
        let created = now()
        let id = RunID.make(at: created)
        let workspace = project.workspacesFolder + "/" + id.rawValue
        let masker = SecretMasker(secrets: secrets.values)
        let record = Run(
            id: id, workflow: workflow.name, workflowFile: project.display(file), trigger: trigger, status: .queued,
            params: typed.mapValues { masker.mask($0.renderedString) }, scheduledFor: scheduledFor, scheduleKey: scheduleKey,
            workspace: workspace, pid: getpid(), host: ProcessInfo.processInfo.hostName, createdAt: created)
        let request = RunRequest(
            id: id, workflow: workflow, params: typed, secrets: secrets, trigger: trigger, scheduledFor: scheduledFor,
            workspace: workspace, baseDirectory: project.root, baseEnvironment: environment, databasePath: project.databasePath)
        return (request, record)
    }

    /// The step runs to create for `workflow`: one per plan unit (matrix combinations expanded).
    static func steps(of workflow: Workflow) -> [StepID] {
        let graph = WorkflowGraph.build(workflow.steps).0
        return RunPlan(workflow: workflow, graph: graph).units.map(\.id)
    }
}
