/// One step of a workflow's DAG, as written.
public struct Step: Sendable {
    /// What a step does: a shell script, or a built-in kind with inputs.
    public enum Action: Sendable {
        /// `run:` — a script for `shell` (default `sh -e`); `${{ }}` inside it is substituted
        /// through environment variables so values can never inject shell syntax.
        case run(Located<String>)
        /// `uses: kind` with `with:` inputs (strings may hold `${{ }}` templates).
        case uses(kind: Located<String>, with: [String: ExpressionValue])
    }

    public var id: StepID
    /// Where the step's key is written.
    public var location: SourceLocation?
    public var action: Action
    public var needs: [Located<StepID>]
    /// `if:` — an expression, with or without `${{ }}`; nil means `success()`.
    public var condition: Located<String>?
    public var env: [EnvironmentEntry]
    public var workingDirectory: String?
    /// `shell:` — `sh`, `bash`, or a command with `{0}` for the script file (GitHub's form).
    public var shell: String?
    public var timeout: Duration?
    public var retry: RetryPolicy?
    public var continueOnError: Bool
    /// Declared outputs: name → template evaluated after the step (may read `$FLOW_OUTPUT` values
    /// through `steps.<this>.outputs`).
    public var outputs: [String: Located<String>]
    public var matrix: Matrix?

    public init(
        id: StepID, location: SourceLocation? = nil, action: Action, needs: [Located<StepID>] = [],
        condition: Located<String>? = nil, env: [EnvironmentEntry] = [],
        workingDirectory: String? = nil, shell: String? = nil, timeout: Duration? = nil,
        retry: RetryPolicy? = nil, continueOnError: Bool = false,
        outputs: [String: Located<String>] = [:], matrix: Matrix? = nil
    ) {
        self.id = id
        self.location = location
        self.action = action
        self.needs = needs
        self.condition = condition
        self.env = env
        self.workingDirectory = workingDirectory
        self.shell = shell
        self.timeout = timeout
        self.retry = retry
        self.continueOnError = continueOnError
        self.outputs = outputs
        self.matrix = matrix
    }

    /// The ids this step needs, without locations.
    public var dependencies: [StepID] { needs.map(\.value) }
}

/// Workflow-wide step defaults (`defaults:`); a step's own keys win.
public struct StepDefaults: Sendable {
    public var timeout: Duration?
    public var retry: RetryPolicy?
    public var shell: String?
    public var workingDirectory: String?

    public init(
        timeout: Duration? = nil, retry: RetryPolicy? = nil, shell: String? = nil,
        workingDirectory: String? = nil
    ) {
        self.timeout = timeout
        self.retry = retry
        self.shell = shell
        self.workingDirectory = workingDirectory
    }
}

/// `matrix:` — fan-out over lists. Each combination of the dimensions' values (in dimension
/// order, the last varying fastest, as GitHub Actions orders them), minus `exclude`, plus
/// `include`, is its own step run.
public struct Matrix: Sendable, Hashable {
    public var dimensions: [Dimension]
    public var include: [[String: ExpressionValue]]
    public var exclude: [[String: ExpressionValue]]

    public struct Dimension: Sendable, Hashable {
        public var name: String
        public var values: [ExpressionValue]
        public init(name: String, values: [ExpressionValue]) {
            self.name = name
            self.values = values
        }
    }

    public init(
        dimensions: [Dimension], include: [[String: ExpressionValue]] = [],
        exclude: [[String: ExpressionValue]] = []
    ) {
        self.dimensions = dimensions
        self.include = include
        self.exclude = exclude
    }
}
