public import FlowCore
public import Foundation

/// A run the daemon has recorded and not yet seen finish: waiting for a slot (`queued`) or
/// executing (`running`).
public struct ActiveRun: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case queued, running
    }

    public var id: RunID
    public var workflow: WorkflowName
    /// The schedule that fired it; nil for runs started through the API.
    public var schedule: ScheduleID?
    public var scheduledFor: Date?
    public var phase: Phase
    /// When true it may start only while no other run of its schedule is running (overlap
    /// `skip`, `queue` and `cancel-previous`); `allow` and API runs are not exclusive.
    public var exclusive: Bool
    /// Set once a cancel was asked for; a cancelled run still counts until it has finished.
    public var cancelling: Bool

    public init(
        id: RunID, workflow: WorkflowName, schedule: ScheduleID? = nil, scheduledFor: Date? = nil,
        phase: Phase = .queued, exclusive: Bool = false, cancelling: Bool = false
    ) {
        self.id = id
        self.workflow = workflow
        self.schedule = schedule
        self.scheduledFor = scheduledFor
        self.phase = phase
        self.exclusive = exclusive
        self.cancelling = cancelling
    }
}
