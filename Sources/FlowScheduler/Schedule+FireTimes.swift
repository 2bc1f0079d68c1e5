import FlowCore
import Foundation

extension Schedule {
    /// The latest `count` fire times in `(start, end]`, ascending, and whether earlier ones
    /// exist in that interval.
    ///
    /// Looks back from `end` over windows growing eightfold from 64 s, so that after a long
    /// downtime a dense schedule (every second for a week) costs about `count` computations,
    /// not one per missed time.
    func recentFireTimes(after start: Date, through end: Date, count: Int) -> (times: [Date], earlier: Bool) {
        guard end > start, count > 0 else { return ([], false) }
        var span: TimeInterval = 64
        while true {
            let low = max(start, end.addingTimeInterval(-span))
            let times = cron.fireTimes(after: low, through: end, in: timeZone, limit: .max)
            if low <= start {
                return (Array(times.suffix(count)), times.count > count)
            }
            if times.count >= count {
                let earlier = times.count > count || (cron.next(after: start, in: timeZone).map { $0 <= low } ?? false)
                return (Array(times.suffix(count)), earlier)
            }
            span *= 8
        }
    }

    /// Fire times in `(start, end]`, at most `limit`.
    func fireTimes(after start: Date, through end: Date, limit: Int) -> [Date] {
        cron.fireTimes(after: start, through: end, in: timeZone, limit: limit)
    }
}
