public import FlowCore
public import FlowEngine
public import Foundation

/// Turns a validated workflow into a run ready to record and execute: parameters typed and
/// checked, secrets read, a new id, its workspace path, and the `queued` record (parameters
/// stored with secrets masked). Shared by `RunLauncher` (a workflow loaded from its file) and
/// the daemon (the workflow version it is running, which may be older than the file).
public struct RunPreparer: Sendable {
    public var project: Project
    public var environment: [String: String]
    public var now: @Sendable () -> Date

    public init(project: Project, environment: [String: String], now: @escaping @Sendable () -> Date) {
        self.project = project
        self.environment = environment
        self.now = now
    }

    /// - Parameters:
    ///   - file: the workflow's file (absolute, or relative to the current folder), for the record.
    ///   - params: values as text, by name.
    /// - Throws: `RuntimeError` `.invalidParams` (every problem) or `.missingSecret`.
    public func prepare(
        _ workflow: Workflow, file: String, params: [String: String], trigger: RunTrigger, scheduledFor: Date? = nil,
        scheduleKey: String? = nil
    ) throws(RuntimeError) -> (RunRequest, Run) {
        let created = now()
        let id = RunID.make(at: created)
        let workspace = project.workspacesFolder + "/" + id.rawValue
        let typed: [String: ExpressionValue]
        let defaults = Self.defaultContext(
            environment: environment, id: id, workflow: workflow.name, trigger: trigger, workspace: workspace,
            scheduledFor: scheduledFor)
        switch ParamResolver.resolve(params, declared: workflow.params, defaultContext: defaults) {
        case .success(let values): typed = values
        case .failure(let problems): throw RuntimeError(.invalidParams, problems.description)
        }
        let secrets = try SecretResolver.resolve(workflow.secrets, environment: environment, baseDirectory: project.root)
        let masker = SecretMasker(secrets: secrets.values)
        let record = Run(
            id: id, workflow: workflow.name, workflowFile: project.display(file), trigger: trigger, status: .queued,
            params: typed.mapValues { masker.mask($0.renderedString) }, scheduledFor: scheduledFor,
            scheduleKey: scheduleKey, workspace: workspace, pid: getpid(), host: ProcessInfo.processInfo.hostName,
            createdAt: created)
        let request = RunRequest(
            id: id, workflow: workflow, params: typed, secrets: secrets, trigger: trigger, scheduledFor: scheduledFor,
            workspace: workspace, baseDirectory: project.root, baseEnvironment: environment,
            databasePath: project.databasePath)
        return (request, record)
    }

    /// What a param default's `${{ }}` reads: `env`, the environment of this process (flow
    /// run's, or the daemon's for the runs it starts) — not the workflow's `env:`, whose values
    /// may read params — and `run` with the keys the engine gives steps (`id`, `workflow`,
    /// `trigger`, `workspace`, `scheduled_for` when a schedule fired the run).
    static func defaultContext(
        environment: [String: String], id: RunID, workflow: WorkflowName, trigger: RunTrigger, workspace: String,
        scheduledFor: Date?
    ) -> ExpressionContext {
        var run: [String: ExpressionValue] = [
            "id": .string(id.rawValue), "workflow": .string(workflow.rawValue), "trigger": .string(trigger.rawValue),
            "workspace": .string(workspace),
        ]
        // As the engine's ContextBuilder writes it: RFC 3339 in UTC, whole seconds.
        if let scheduledFor { run["scheduled_for"] = .string(scheduledFor.formatted(.iso8601)) }
        return ExpressionContext(values: ["env": .object(environment.mapValues { .string($0) }), "run": .object(run)])
    }
}
