import Foundation
import Testing

@testable import FlowCore

/// Parses `2025-03-09T03:00:00-04:00` (ISO 8601 with offset) with Foundation, independently of
/// the code under test.
func instant(_ text: String, _ formatter: ISO8601DateFormatter = ISO8601DateFormatter()) -> Date {
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad ISO 8601 in test: \(text)") }
    return date
}

/// `date` as ISO 8601 with the offset it has in `zone`, for readable failure messages.
func local(_ date: Date?, _ zone: TimeZone) -> String {
    guard let date else { return "nil" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = zone
    return formatter.string(from: date)
}

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
    return zone
}

/// The first `count` fire times after `start`, as ISO 8601 strings with their offsets in `zone`.
func nextTimes(_ expression: String, _ zoneID: String, from start: String, count: Int = 3) throws -> [String] {
    let cron = try CronExpression.parse(expression)
    let tz = zone(zoneID)
    var cursor = instant(start)
    var result: [String] = []
    for _ in 0..<count {
        guard let next = cron.next(after: cursor, in: tz) else { break }
        result.append(local(next, tz))
        cursor = next
    }
    return result
}
