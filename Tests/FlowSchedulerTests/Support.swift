import FlowCore
import FlowScheduler
import Foundation

/// An instant from ISO 8601 text, parsed by Foundation (independent of the code under test).
func at(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: text) else { fatalError("bad date \(text)") }
    return date
}

/// A schedule of workflow `w` (or `workflow`).
func schedule(
    _ cron: String, zone: String = "UTC", workflow: WorkflowName = "w", paused: Bool = false,
    catchup: ScheduleSpec.Catchup = .latest, limit: Int = 100, overlap: ScheduleSpec.Overlap = .skip,
    jitter: Duration? = nil
) -> Schedule {
    Schedule(
        id: ScheduleID(workflow: workflow, key: ScheduleID.key(cron: cron, timezone: zone)),
        cron: try! CronExpression.parse(cron), timeZone: TimeZone(identifier: zone)!, paused: paused,
        catchup: catchup, catchupLimit: limit, overlap: overlap, jitter: jitter)
}
