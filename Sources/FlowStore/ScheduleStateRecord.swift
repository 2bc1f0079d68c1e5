public import FlowCore
public import Foundation

/// The daemon's persisted progress through one schedule (a row of `schedule_state`).
///
/// `handledThrough` is the watermark: every fire time at or before it has been handled —
/// started, queued or deliberately skipped (paused, overlap, catchup) — so a restarted daemon
/// looks only at fire times after it, and a fire time is neither handled twice nor passed over
/// without a decision. A new schedule starts with the instant the daemon first saw it.
public struct ScheduleStateRecord: Sendable, Hashable {
    public var workflow: WorkflowName
    /// The schedule's key, `"<cron> <timezone>"` (as `Run.scheduleKey`).
    public var scheduleKey: String
    /// Fire times at or before this instant are handled.
    public var handledThrough: Date
    /// The latest fire time that produced a run; nil before the first.
    public var lastFireTime: Date?
    /// Whether the schedule was paused when the daemon last planned it.
    public var paused: Bool
    public var updatedAt: Date

    public init(
        workflow: WorkflowName, scheduleKey: String, handledThrough: Date, lastFireTime: Date? = nil,
        paused: Bool = false, updatedAt: Date
    ) {
        self.workflow = workflow
        self.scheduleKey = scheduleKey
        self.handledThrough = handledThrough
        self.lastFireTime = lastFireTime
        self.paused = paused
        self.updatedAt = updatedAt
    }
}
