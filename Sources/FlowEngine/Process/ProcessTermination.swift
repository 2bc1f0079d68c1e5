/// How a supervised process ended.
public enum ProcessTermination: Sendable, Hashable {
    /// The process called `exit` with this status (0...255).
    case exited(Int32)
    /// The process was ended by this signal number (not one the runner sent for a timeout or
    /// cancellation, which are reported as `.timedOut` / `.cancelled`).
    case signaled(Int32)
    /// `ProcessRequest.timeout` passed; the process group was stopped.
    case timedOut
    /// The calling task was cancelled; the process group was stopped.
    case cancelled
    /// The process could not be started. The text is the `strerror` text and what it applies
    /// to, e.g. `No such file or directory: 'foo'` or
    /// `No such file or directory: working directory '/missing'`.
    case failedToStart(String)
}
