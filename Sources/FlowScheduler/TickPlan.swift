public import FlowCore
public import Foundation

/// What the daemon should do now: the planner's answer for one moment (see `TickPlanner`).
public struct TickPlan: Sendable, Equatable {
    /// What to do about one fire time.
    public enum Decision: Sendable, Hashable {
        /// Record a run for it (status `queued`); `exclusive` as in `ActiveRun`.
        case record(exclusive: Bool)
        /// Let it pass without a run (overlap `skip` while the previous run is going).
        case skip(reason: String)
    }

    /// One fire time of one schedule, due now.
    public struct Fire: Sendable, Hashable {
        public var schedule: ScheduleID
        /// The fire time (whole seconds), before jitter; recorded as the run's `scheduled_for`.
        public var scheduledFor: Date
        public var decision: Decision

        public init(schedule: ScheduleID, scheduledFor: Date, decision: Decision) {
            self.schedule = schedule
            self.scheduledFor = scheduledFor
            self.decision = decision
        }
    }

    /// Fire times of one schedule that the catchup policy passes over (they were missed while
    /// the daemon was down or stalled).
    public struct Missed: Sendable, Hashable {
        public var schedule: ScheduleID
        /// The latest of them, ascending (at most `catchupLimit + 1`: planning stays bounded
        /// after a long downtime).
        public var times: [Date]
        /// True when older ones were passed over too (not listed).
        public var more: Bool

        public init(schedule: ScheduleID, times: [Date], more: Bool) {
            self.schedule = schedule
            self.times = times
            self.more = more
        }
    }

    /// A queued run to start: one recorded before, or one this plan's fires record.
    public enum Start: Sendable, Hashable {
        case run(RunID)
        case fire(ScheduleID, Date)
    }

    /// Due fire times, by schedule then time.
    public var fires: [Fire] = []
    public var missed: [Missed] = []
    /// Runs to cancel (overlap `cancel-previous`): running ones get `RunControl.cancel`, queued
    /// ones are recorded as cancelled without starting.
    public var cancels: [RunID] = []
    /// Queued runs to start now, oldest first, within the limits.
    public var starts: [Start] = []
    /// Schedule states that changed (to persist), by schedule.
    public var states: [ScheduleID: ScheduleState] = [:]
    /// The next fire time of every schedule that is not paused and fires again (before jitter).
    public var nextFires: [ScheduleID: Date] = [:]
    /// When to plan again at the latest: the earliest next fire time plus its jitter; nil when
    /// no schedule fires again.
    public var nextWake: Date?

    public init() {}
}
