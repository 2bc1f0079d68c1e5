public import FlowCore

/// Which schedule: a workflow and the schedule's key, `"<cron> <timezone>"` (the value stored
/// in `runs.schedule_key`). Two entries of one workflow with the same expression and zone are
/// one schedule.
public struct ScheduleID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var workflow: WorkflowName
    public var key: String

    public init(workflow: WorkflowName, key: String) {
        self.workflow = workflow
        self.key = key
    }

    /// The key of a schedule entry: its cron text and its zone, separated by one space.
    public static func key(cron: String, timezone: String) -> String { "\(cron) \(timezone)" }

    public static func < (a: Self, b: Self) -> Bool { (a.workflow, a.key) < (b.workflow, b.key) }

    /// `workflow[key]`, for logs.
    public var description: String { "\(workflow)[\(key)]" }
}
