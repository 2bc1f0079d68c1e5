public import Foundation

/// A run as recorded: what started it, with which parameters, and how it went.
public struct Run: Sendable, Hashable, Codable {
    public var id: RunID
    public var workflow: WorkflowName
    /// The workflow file path, as resolved when the run started.
    public var workflowFile: String?
    public var trigger: RunTrigger
    public var status: RunStatus
    /// Resolved parameters, secrets masked.
    public var params: [String: String]
    /// For scheduled runs, the fire time this run is for.
    public var scheduledFor: Date?
    /// For scheduled runs, which schedule (its cron expression and zone).
    public var scheduleKey: String?
    /// For `flow retry`, the run it retries.
    public var retryOf: RunID?
    /// The run's workspace folder (absolute).
    public var workspace: String
    /// Why the run ended as it did, when that needs saying (interrupted, cancelled by whom).
    public var reason: String?
    /// The process running it, for `flow cancel` and crash recovery.
    public var pid: Int32?
    public var host: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        id: RunID, workflow: WorkflowName, workflowFile: String?, trigger: RunTrigger,
        status: RunStatus, params: [String: String], scheduledFor: Date? = nil,
        scheduleKey: String? = nil, retryOf: RunID? = nil, workspace: String,
        reason: String? = nil, pid: Int32? = nil, host: String? = nil, createdAt: Date,
        startedAt: Date? = nil, finishedAt: Date? = nil
    ) {
        self.id = id
        self.workflow = workflow
        self.workflowFile = workflowFile
        self.trigger = trigger
        self.status = status
        self.params = params
        self.scheduledFor = scheduledFor
        self.scheduleKey = scheduleKey
        self.retryOf = retryOf
        self.workspace = workspace
        self.reason = reason
        self.pid = pid
        self.host = host
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A step run as recorded (a matrix combination is its own step run).
public struct StepRun: Sendable, Hashable, Codable {
    public var runID: RunID
    public var stepID: StepID
    public var status: StepStatus
    public var attempts: Int
    public var exitCode: Int32?
    public var signal: Int32?
    public var reason: String?
    /// For `flow retry`: the run whose result and outputs this step run reuses.
    public var reusedFrom: RunID?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var outputs: [String: String]

    public init(
        runID: RunID, stepID: StepID, status: StepStatus, attempts: Int = 0,
        exitCode: Int32? = nil, signal: Int32? = nil, reason: String? = nil,
        reusedFrom: RunID? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
        outputs: [String: String] = [:]
    ) {
        self.runID = runID
        self.stepID = stepID
        self.status = status
        self.attempts = attempts
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.reusedFrom = reusedFrom
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outputs = outputs
    }
}

/// One attempt of a step run.
public struct Attempt: Sendable, Hashable, Codable {
    public var runID: RunID
    public var stepID: StepID
    /// 1-based.
    public var number: Int
    public var status: StepStatus
    public var exitCode: Int32?
    public var signal: Int32?
    public var pid: Int32?
    public var reason: String?
    public var startedAt: Date
    public var finishedAt: Date?

    public init(
        runID: RunID, stepID: StepID, number: Int, status: StepStatus, exitCode: Int32? = nil,
        signal: Int32? = nil, pid: Int32? = nil, reason: String? = nil, startedAt: Date,
        finishedAt: Date? = nil
    ) {
        self.runID = runID
        self.stepID = stepID
        self.number = number
        self.status = status
        self.exitCode = exitCode
        self.signal = signal
        self.pid = pid
        self.reason = reason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// One recorded log line.
public struct LogLine: Sendable, Hashable {
    /// Increasing within the database; use it to follow a log.
    public var sequence: Int64
    public var stepID: StepID
    public var attempt: Int
    public var stream: LogStream
    public var time: Date
    /// Exactly the bytes written (secrets masked), without the line terminator.
    public var bytes: [UInt8]
    /// True when the line goes on in the next record (a line longer than the piece size).
    public var continued: Bool

    public init(sequence: Int64, stepID: StepID, attempt: Int, stream: LogStream, time: Date, bytes: [UInt8], continued: Bool) {
        self.sequence = sequence
        self.stepID = stepID
        self.attempt = attempt
        self.stream = stream
        self.time = time
        self.bytes = bytes
        self.continued = continued
    }

    /// The text, with invalid UTF-8 shown as U+FFFD.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
