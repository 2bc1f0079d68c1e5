public import FlowCore
public import Foundation

/// A workflow as the daemon has it loaded: the version that runs, its schedules with their
/// next fire times, and the problems of the latest edit when that edit did not load.
public struct WorkflowSummary: Sendable {
    /// One schedule entry and where the scheduler is with it.
    public struct ScheduleInfo: Sendable {
        public var cron: String
        public var timezone: String
        public var paused: Bool
        public var catchup: String
        public var overlap: String
        /// Next fire time before jitter; nil when paused or never again.
        public var nextFire: Date?

        public init(cron: String, timezone: String, paused: Bool, catchup: String, overlap: String, nextFire: Date?) {
            self.cron = cron
            self.timezone = timezone
            self.paused = paused
            self.catchup = catchup
            self.overlap = overlap
            self.nextFire = nextFire
        }
    }

    public var name: WorkflowName
    /// The file, relative to the project root.
    public var file: String
    public var description: String?
    /// False when no version of the file has loaded yet (nothing runs).
    public var loaded: Bool
    /// When the running version was loaded.
    public var loadedAt: Date?
    public var schedules: [ScheduleInfo]
    /// Problems of the file as it is now on disk (errors mean the previous version still runs);
    /// warnings of the running version otherwise.
    public var diagnostics: [Diagnostic]

    public init(
        name: WorkflowName, file: String, description: String?, loaded: Bool, loadedAt: Date?, schedules: [ScheduleInfo],
        diagnostics: [Diagnostic]
    ) {
        self.name = name
        self.file = file
        self.description = description
        self.loaded = loaded
        self.loadedAt = loadedAt
        self.schedules = schedules
        self.diagnostics = diagnostics
    }
}
