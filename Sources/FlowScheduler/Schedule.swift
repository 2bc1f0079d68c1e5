public import FlowCore
public import Foundation

/// One schedule as the planner sees it: a parsed cron expression in its zone, and the
/// workflow's policies for it (`ScheduleSpec`, docs/scheduling.md).
public struct Schedule: Sendable, Hashable {
    public var id: ScheduleID
    public var cron: CronExpression
    public var timeZone: TimeZone
    public var paused: Bool
    public var catchup: ScheduleSpec.Catchup
    /// Most missed fire times `catchup: all` runs, ≥ 1.
    public var catchupLimit: Int
    public var overlap: ScheduleSpec.Overlap
    /// Largest random delay added to each fire time; nil or zero for none.
    public var jitter: Duration?

    public init(
        id: ScheduleID, cron: CronExpression, timeZone: TimeZone, paused: Bool = false,
        catchup: ScheduleSpec.Catchup = .latest, catchupLimit: Int = 100, overlap: ScheduleSpec.Overlap = .skip,
        jitter: Duration? = nil
    ) {
        self.id = id
        self.cron = cron
        self.timeZone = timeZone
        self.paused = paused
        self.catchup = catchup
        self.catchupLimit = max(1, catchupLimit)
        self.overlap = overlap
        self.jitter = jitter
    }

    /// The schedules of `workflow`, one per distinct key (the first entry wins when two share
    /// a key).
    /// - Throws: `CronError` for an expression the loader did not reject (it validates every
    ///   `cron:` value, so only for a workflow built some other way); an unknown zone is UTC.
    public static func schedules(of workflow: Workflow) throws(CronError) -> [Schedule] {
        var seen: Set<String> = []
        var result: [Schedule] = []
        for spec in workflow.schedules {
            let key = ScheduleID.key(cron: spec.cron.value, timezone: spec.timezone)
            guard seen.insert(key).inserted else { continue }
            let cron = try CronExpression.parse(spec.cron.value)
            result.append(
                Schedule(
                    id: ScheduleID(workflow: workflow.name, key: key), cron: cron,
                    timeZone: TimeZone(identifier: spec.timezone) ?? TimeZone(identifier: "UTC")!, paused: spec.paused,
                    catchup: spec.catchup, catchupLimit: spec.catchupLimit, overlap: spec.overlap, jitter: spec.jitter))
        }
        return result
    }
}
