public import FlowCore

/// What one attempt does, fully resolved by the engine (templates rendered, environment built).
public enum AttemptWork: Sendable {
    /// Spawn `arguments` in its own process group.
    case process(arguments: [String], environment: [String: String], workingDirectory: String)
    /// Call a built-in kind.
    case builtin(any StepExecutor, StepInvocation)
}

/// How one attempt ended, with the outputs a built-in kind returned.
public struct AttemptResult: Sendable {
    public var outcome: StepOutcome
    public var outputs: [String: String]
    /// False for failures that another attempt cannot fix (bad input).
    public var retryable: Bool

    public init(outcome: StepOutcome, outputs: [String: String] = [:], retryable: Bool = true) {
        self.outcome = outcome
        self.outputs = outputs
        self.retryable = retryable
    }
}

/// Executes attempts. The engine's real one spawns processes and calls built-in kinds
/// (`SystemAttemptRunner`); tests use a scripted one, so the planner is tested without processes.
public protocol AttemptRunner: Sendable {
    /// Runs one attempt to its end. `started` is called once the attempt is under way, with its
    /// process id when it is a process. Task cancellation must end the attempt promptly with
    /// `.cancelled` (its whole process tree gone). `timeout` ends it with `.timedOut`.
    func run(
        _ work: AttemptWork, timeout: Duration?, log: StepLog, started: @escaping @Sendable (Int32?) -> Void
    ) async -> AttemptResult
}
