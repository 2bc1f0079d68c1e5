/// A workflow as written in one YAML file: its parameters, environment, secrets, defaults,
/// schedules and the steps of its DAG. Built by FlowSpec; validated before every run.
public struct Workflow: Sendable {
    public var name: WorkflowName
    public var description: String?
    /// The file it came from, as given to the loader (relative paths stay relative).
    public var file: String?
    /// Declared parameters, in file order.
    public var params: [ParamSpec]
    /// Workflow-level environment, in file order; values may hold `${{ }}` templates.
    public var env: [EnvironmentEntry]
    /// Declared secrets, in file order.
    public var secrets: [SecretSpec]
    public var defaults: StepDefaults
    /// Most steps running at once in one run; nil means the engine's default (cores).
    public var concurrency: Int?
    public var schedules: [ScheduleSpec]
    /// Steps in file order. Ids are unique.
    public var steps: [Step]

    public init(
        name: WorkflowName, description: String? = nil, file: String? = nil,
        params: [ParamSpec] = [], env: [EnvironmentEntry] = [], secrets: [SecretSpec] = [],
        defaults: StepDefaults = StepDefaults(), concurrency: Int? = nil,
        schedules: [ScheduleSpec] = [], steps: [Step]
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.params = params
        self.env = env
        self.secrets = secrets
        self.defaults = defaults
        self.concurrency = concurrency
        self.schedules = schedules
        self.steps = steps
    }

    /// The step with `id`, if any.
    public func step(_ id: StepID) -> Step? { steps.first { $0.id == id } }
}

/// One `NAME: value` environment entry; `value` may contain `${{ }}` templates.
public struct EnvironmentEntry: Sendable, Hashable {
    public var name: String
    public var value: Located<String>

    public init(name: String, value: Located<String>) {
        self.name = name
        self.value = value
    }
}
