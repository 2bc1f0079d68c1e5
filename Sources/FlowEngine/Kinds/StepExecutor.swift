public import FlowCore

/// The implementation of one built-in step kind (`uses: <kind>`). Executors are values handed
/// to the engine in a `StepExecutorSet`, never registered globally.
public protocol StepExecutor: Sendable {
    /// The kind's name and declared inputs and outputs. `with:` is validated against it.
    var spec: StepKindSpec { get }

    /// Performs one attempt of the step.
    ///
    /// - Returns: the step's outputs (small values and paths; large data goes to files in
    ///   `invocation.workspace`).
    /// - Throws: `StepFailure` for a failure the user should read (bad input, a failed
    ///   request, a gate that did not pass); `CancellationError` when the task was cancelled.
    ///   Anything else is reported as an internal error of the step.
    func execute(_ invocation: StepInvocation) async throws -> [String: String]
}

/// Everything one attempt of a built-in step gets from the engine.
public struct StepInvocation: Sendable {
    public var runID: RunID
    public var workflow: WorkflowName
    /// The step run's id (a matrix combination's id has its values in brackets).
    public var stepID: StepID
    /// 1-based.
    public var attempt: Int
    /// `with:` after `${{ }}` substitution, with the spec's defaults filled in.
    public var inputs: [String: ExpressionValue]
    /// The step's full environment (process environment, workflow, step, FLOW_* variables).
    public var environment: [String: String]
    /// The run's workspace folder, shared by all steps of the run; absolute path.
    public var workspace: String
    /// Where relative paths in inputs are resolved; absolute path.
    public var workingDirectory: String
    /// Lines written here become the attempt's log (secrets masked).
    public var log: StepLog
    /// Records that outlive the run (crawl state, vectors, metrics history), when the engine
    /// has a database; nil in a dry run or a test without one.
    public var databasePath: String?

    public init(
        runID: RunID, workflow: WorkflowName, stepID: StepID, attempt: Int,
        inputs: [String: ExpressionValue], environment: [String: String], workspace: String,
        workingDirectory: String, log: StepLog, databasePath: String? = nil
    ) {
        self.runID = runID
        self.workflow = workflow
        self.stepID = stepID
        self.attempt = attempt
        self.inputs = inputs
        self.environment = environment
        self.workspace = workspace
        self.workingDirectory = workingDirectory
        self.log = log
        self.databasePath = databasePath
    }
}

/// A step failure meant for the user: the message is shown in the log and recorded as the
/// attempt's reason. Secrets must not appear in it.
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// When true, the engine does not retry (bad input will not get better).
    public var isPermanent: Bool

    public init(_ message: String, permanent: Bool = false) {
        self.message = message
        self.isPermanent = permanent
    }

    public var description: String { message }
}

/// Where a step writes its log lines. Thread-safe; lines are recorded in order per stream.
public struct StepLog: Sendable {
    /// Which stream a line came from.
    public typealias Stream = LogStream

    private let sink: @Sendable (Stream, [UInt8], Bool) -> Void

    /// `sink` receives each line without its terminator, and whether the line goes on in the
    /// next piece (a line longer than the capture's piece size).
    public init(_ sink: @escaping @Sendable (_ stream: Stream, _ bytes: [UInt8], _ continued: Bool) -> Void) {
        self.sink = sink
    }

    /// A log that drops everything.
    public static let discarding = StepLog { _, _, _ in }

    public func write(_ line: String, stream: Stream = .system) {
        sink(stream, Array(line.utf8), false)
    }

    public func write(bytes: [UInt8], stream: Stream, continued: Bool = false) {
        sink(stream, bytes, continued)
    }
}

/// The built-in kinds one engine knows, by name.
public struct StepExecutorSet: Sendable {
    public private(set) var executors: [String: any StepExecutor]

    public init(_ executors: [any StepExecutor] = []) {
        self.executors = [:]
        for e in executors { self.executors[e.spec.name] = e }
    }

    public subscript(kind: String) -> (any StepExecutor)? { executors[kind] }

    /// The specs, for validation.
    public var catalog: StepKindCatalog { StepKindCatalog(executors.values.map(\.spec)) }
}
