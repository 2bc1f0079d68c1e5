/// How one step run ended. A failed step is a value, not a thrown error.
public enum StepOutcome: Sendable, Hashable {
    case succeeded
    /// Non-zero exit (`exitCode`), death by `signal`, or a built-in kind's failure (`reason`).
    case failed(exitCode: Int32?, signal: Int32?, reason: String?)
    /// Killed after its `timeout`.
    case timedOut
    case cancelled
    /// Not run: its `if:` was false, or something it needs did not succeed.
    case skipped(reason: String)
    /// Left running by a daemon or CLI that died; found and closed by crash recovery.
    case interrupted(reason: String)

    /// The text stored in the database and shown to users.
    public var status: StepStatus {
        switch self {
        case .succeeded: .succeeded
        case .failed: .failed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        case .skipped: .skipped
        case .interrupted: .interrupted
        }
    }

    /// GitHub's `result` vocabulary for `steps.<id>.result`: success, failure, cancelled, skipped.
    public var result: String {
        switch self {
        case .succeeded: "success"
        case .failed, .timedOut, .interrupted: "failure"
        case .cancelled: "cancelled"
        case .skipped: "skipped"
        }
    }

    public var isSuccess: Bool { self == .succeeded }
}

/// The status of a step run as stored (text, never an integer).
public enum StepStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending, running, succeeded, failed, skipped, cancelled
    case timedOut = "timed_out"
    case interrupted

    /// True once the step run can no longer change.
    public var isFinal: Bool { self != .pending && self != .running }
}

/// The status of a run as stored.
public enum RunStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case queued, running, succeeded, failed, cancelled, interrupted

    public var isFinal: Bool { self != .queued && self != .running }
}

/// What started a run.
public enum RunTrigger: String, Sendable, Hashable, CaseIterable, Codable {
    case manual, schedule, api, ci, retry
}
