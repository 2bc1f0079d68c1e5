public import Foundation

/// The persisted progress through one schedule (the watermark; see `ScheduleStateRecord`).
public struct ScheduleState: Sendable, Hashable {
    /// Every fire time at or before this instant has been handled (run, queued or skipped).
    public var handledThrough: Date
    /// The latest fire time that produced a run.
    public var lastFireTime: Date?
    /// Whether the schedule was paused when last planned. On unpausing, the watermark jumps to
    /// the present: times that passed while paused are not caught up.
    public var paused: Bool

    public init(handledThrough: Date, lastFireTime: Date? = nil, paused: Bool = false) {
        self.handledThrough = handledThrough
        self.lastFireTime = lastFireTime
        self.paused = paused
    }
}
