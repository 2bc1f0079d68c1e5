public import FlowCore
public import Foundation

/// Everything needed to execute one run of a validated workflow.
public struct RunRequest: Sendable {
    public var id: RunID
    public var workflow: Workflow
    /// Typed, validated parameter values (defaults filled in).
    public var params: [String: ExpressionValue]
    /// Secret values by name; masked as `***` everywhere.
    public var secrets: [String: String]
    public var trigger: RunTrigger
    public var scheduledFor: Date?
    /// The run's workspace folder (absolute; created if missing).
    public var workspace: String
    /// The folder relative `working-directory` values start from (absolute): the project root.
    public var baseDirectory: String
    /// The environment steps inherit (normally the `flow` process's own).
    public var baseEnvironment: [String: String]
    /// Step runs already finished in an earlier run (`flow retry`): not run again; their
    /// outputs are visible to the steps that need them.
    public var reused: [StepID: (outcome: StepOutcome, outputs: [String: String])]
    /// The database, for built-in kinds that keep state (crawl, upsert, evaluate).
    public var databasePath: String?

    public init(
        id: RunID, workflow: Workflow, params: [String: ExpressionValue] = [:], secrets: [String: String] = [:],
        trigger: RunTrigger = .manual, scheduledFor: Date? = nil, workspace: String, baseDirectory: String,
        baseEnvironment: [String: String] = [:],
        reused: [StepID: (outcome: StepOutcome, outputs: [String: String])] = [:], databasePath: String? = nil
    ) {
        self.id = id
        self.workflow = workflow
        self.params = params
        self.secrets = secrets
        self.trigger = trigger
        self.scheduledFor = scheduledFor
        self.workspace = workspace
        self.baseDirectory = baseDirectory
        self.baseEnvironment = baseEnvironment
        self.reused = reused
        self.databasePath = databasePath
    }
}
