import FlowCore
public import Foundation

/// What the scheduler looks like right now, for the API and metrics: published after every
/// planning step, read without waiting for the scheduler.
public struct SchedulerSnapshot: Sendable {
    /// The next fire time (before jitter) of every schedule that is not paused and fires again.
    public var nextFires: [ScheduleID: Date]
    /// Schedules known, paused or not, by workflow.
    public var schedules: [ScheduleID: Schedule]
    /// Runs recorded and not finished, queued ones in queue order.
    public var active: [ActiveRun]
    /// True once shutdown has begun: nothing fires or starts any more.
    public var stopping: Bool

    public init(
        nextFires: [ScheduleID: Date] = [:], schedules: [ScheduleID: Schedule] = [:], active: [ActiveRun] = [], stopping: Bool = false
    ) {
        self.nextFires = nextFires
        self.schedules = schedules
        self.active = active
        self.stopping = stopping
    }

    public var running: Int { active.count { $0.phase == .running } }
    public var queued: Int { active.count { $0.phase == .queued } }
}
