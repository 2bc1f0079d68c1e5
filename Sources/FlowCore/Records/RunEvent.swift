public import Foundation

/// What happens during a run, in order, as the engine reports it to observers (the SQLite
/// recorder, the terminal, the GitHub Actions renderer). Named like ninja's events. Secrets are
/// already masked in every payload.
public enum RunEvent: Sendable {
    case runStarted(RunID, at: Date)
    /// Attempt `attempt` (1-based) of step run `step` started; `pid` is its process (and
    /// process group) id when it runs a process.
    case stepStarted(StepID, attempt: Int, pid: Int32?, at: Date)
    /// One line (or, with `continued`, one piece of a long line) of output, without its
    /// terminator, bytes exactly as written (invalid UTF-8 kept).
    case stepOutput(StepID, attempt: Int, stream: LogStream, bytes: [UInt8], continued: Bool, at: Date)
    /// One attempt ended; `willRetry` when another attempt follows after `retryDelay`.
    case attemptFinished(StepID, attempt: Int, outcome: StepOutcome, willRetry: Bool, at: Date)
    /// The step run ended for good (after its last attempt, or skipped without one).
    case stepFinished(StepID, outcome: StepOutcome, tolerated: Bool, outputs: [String: String], attempts: Int, at: Date)
    case runFinished(RunID, status: RunStatus, at: Date)
}

/// Receives run events. Called from the engine's loop and from step tasks, possibly
/// concurrently; events of one step arrive in order.
public protocol RunObserver: Sendable {
    func handle(_ event: RunEvent)
}
