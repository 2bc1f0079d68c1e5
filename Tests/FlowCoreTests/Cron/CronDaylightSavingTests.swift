import Foundation
import Testing

@testable import FlowCore

/// Daylight-saving cases derived by hand from the zones' published rules (tzdata) and cron(8)'s
/// rule: a fixed-time expression (minute and hour fields not beginning with `*`) fires once at
/// the jump for times a spring-forward skips and once — the first time — for repeated times;
/// other expressions fire at wall-clock times as they occur.
@Suite("Cron daylight saving")
struct CronDaylightSavingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String
        var start: String
        var expected: [String]
        var why: String
        var testDescription: String { "\(expression) in \(zone): \(why)" }
    }

    // America/New_York 2025: Sun 9 Mar at 07:00Z, 02:00 EST (-05:00) becomes 03:00 EDT (-04:00),
    // so walls 02:00–02:59 do not exist. Sun 2 Nov at 06:00Z, 02:00 EDT becomes 01:00 EST, so
    // walls 01:00–01:59 happen twice (05:00Z–05:59Z as EDT, 06:00Z–06:59Z as EST).
    static let newYork: [Case] = [
        Case(
            expression: "30 2 * * *", zone: "America/New_York", start: "2025-03-08T12:00:00-05:00",
            expected: ["2025-03-09T03:00:00-04:00", "2025-03-10T02:30:00-04:00", "2025-03-11T02:30:00-04:00"],
            why: "02:30 is skipped: fixed time runs once at the jump, 03:00 EDT = 07:00Z"),
        Case(
            expression: "0 2 * * *", zone: "America/New_York", start: "2025-03-08T12:00:00-05:00",
            expected: ["2025-03-09T03:00:00-04:00", "2025-03-10T02:00:00-04:00"],
            why: "02:00 itself is skipped (the clock reads 01:59:59 then 03:00:00)"),
        Case(
            expression: "0,30 2 * * *", zone: "America/New_York", start: "2025-03-09T00:00:00-05:00",
            expected: ["2025-03-09T03:00:00-04:00", "2025-03-10T02:00:00-04:00"],
            why: "two skipped times still run once"),
        Case(
            expression: "30 1,2,3 * * *", zone: "America/New_York", start: "2025-03-09T01:00:00-05:00",
            expected: ["2025-03-09T01:30:00-05:00", "2025-03-09T03:00:00-04:00", "2025-03-09T03:30:00-04:00"],
            why: "01:30 EST = 06:30Z; 02:30 is skipped → 07:00Z; 03:30 EDT = 07:30Z"),
        Case(
            expression: "*/15 2 * * *", zone: "America/New_York", start: "2025-03-08T12:00:00-05:00",
            expected: ["2025-03-10T02:00:00-04:00", "2025-03-10T02:15:00-04:00", "2025-03-10T02:30:00-04:00"],
            why: "minute field begins with '*': wildcard, so no run on the skipped 9 March hour"),
        Case(
            expression: "0 * * * *", zone: "America/New_York", start: "2025-03-09T01:30:00-05:00",
            expected: ["2025-03-09T03:00:00-04:00", "2025-03-09T04:00:00-04:00"],
            why: "hourly: 02:00 does not exist; 03:00 EDT (07:00Z) is half an hour after 01:30 EST"),
        Case(
            expression: "30 1 * * *", zone: "America/New_York", start: "2025-11-01T12:00:00-04:00",
            expected: ["2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00"],
            why: "01:30 repeats: fixed time runs at the first, 05:30Z, not again at 06:30Z"),
        Case(
            expression: "30 1 * * *", zone: "America/New_York", start: "2025-11-02T01:45:00-04:00",
            expected: ["2025-11-03T01:30:00-05:00"],
            why: "after the first 01:30, the repeated 01:30 EST is not a fire time"),
        Case(
            expression: "30 1 * * *", zone: "America/New_York", start: "2025-11-02T01:10:00-05:00",
            expected: ["2025-11-03T01:30:00-05:00"],
            why: "starting inside the repeated hour: its 01:30 already ran on the first pass"),
        Case(
            expression: "0 * * * *", zone: "America/New_York", start: "2025-11-02T00:30:00-04:00",
            expected: ["2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T02:00:00-05:00"],
            why: "hourly is a wildcard job: 01:00 occurs twice (05:00Z, 06:00Z) and runs twice"),
        Case(
            expression: "*/30 1 * * *", zone: "America/New_York", start: "2025-11-02T00:59:00-04:00",
            expected: [
                "2025-11-02T01:00:00-04:00", "2025-11-02T01:30:00-04:00", "2025-11-02T01:00:00-05:00",
                "2025-11-02T01:30:00-05:00", "2025-11-03T01:00:00-05:00",
            ],
            why: "wildcard minute: every wall time as it occurs, both passes"),
        Case(
            expression: "0 1-3 * * *", zone: "America/New_York", start: "2025-11-02T00:30:00-04:00",
            expected: ["2025-11-02T01:00:00-04:00", "2025-11-02T02:00:00-05:00", "2025-11-02T03:00:00-05:00"],
            why: "a range does not begin with '*': fixed time (cron(8)), 01:00 runs once"),
    ]

    // Europe/London 2025: Sun 30 Mar at 01:00Z, 01:00 GMT becomes 02:00 BST (+01:00);
    // Sun 26 Oct at 01:00Z, 02:00 BST becomes 01:00 GMT, walls 01:00–01:59 repeat.
    static let london: [Case] = [
        Case(
            expression: "30 1 * * *", zone: "Europe/London", start: "2025-03-29T12:00:00Z",
            expected: ["2025-03-30T02:00:00+01:00", "2025-03-31T01:30:00+01:00"],
            why: "01:30 is skipped: runs at the jump, 02:00 BST = 01:00Z"),
        Case(
            expression: "*/30 * * * *", zone: "Europe/London", start: "2025-03-30T00:45:00Z",
            expected: ["2025-03-30T02:00:00+01:00", "2025-03-30T02:30:00+01:00"],
            why: "01:00 and 01:30 do not exist; the next wall time that does is 02:00 BST"),
        Case(
            expression: "15 * * * *", zone: "Europe/London", start: "2025-10-26T00:00:00+01:00",
            expected: [
                "2025-10-26T00:15:00+01:00", "2025-10-26T01:15:00+01:00", "2025-10-26T01:15:00Z",
                "2025-10-26T02:15:00Z",
            ],
            why: "hour field '*': 01:15 occurs at 00:15Z and 01:15Z and runs at both"),
        Case(
            expression: "15 1 * * *", zone: "Europe/London", start: "2025-10-25T12:00:00+01:00",
            expected: ["2025-10-26T01:15:00+01:00", "2025-10-27T01:15:00Z"],
            why: "fixed time in the repeated hour runs once, at 00:15Z"),
    ]

    // Australia/Lord_Howe 2025: a 30-minute shift. Sun 6 Apr at 15:00Z (5 Apr), 02:00 (+11:00)
    // becomes 01:30 (+10:30): walls 01:30–01:59 repeat. Sun 5 Oct at 15:30Z (4 Oct), 02:00
    // (+10:30) becomes 02:30 (+11:00): walls 02:00–02:29 do not exist.
    static let lordHowe: [Case] = [
        Case(
            expression: "15 2 * * *", zone: "Australia/Lord_Howe", start: "2025-10-04T12:00:00+10:30",
            expected: ["2025-10-05T02:30:00+11:00", "2025-10-06T02:15:00+11:00"],
            why: "02:15 is skipped: runs at the jump, 02:30 (+11:00) = 15:30Z"),
        Case(
            expression: "45 2 * * *", zone: "Australia/Lord_Howe", start: "2025-10-04T12:00:00+10:30",
            expected: ["2025-10-05T02:45:00+11:00"],
            why: "only half an hour is skipped: 02:45 exists"),
        Case(
            expression: "*/15 * * * *", zone: "Australia/Lord_Howe", start: "2025-10-05T01:50:00+10:30",
            expected: ["2025-10-05T02:30:00+11:00", "2025-10-05T02:45:00+11:00"],
            why: "02:00 and 02:15 do not exist; 02:30 (+11:00) does, at 15:30Z"),
        Case(
            expression: "45 1 * * *", zone: "Australia/Lord_Howe", start: "2025-04-05T12:00:00+11:00",
            expected: ["2025-04-06T01:45:00+11:00", "2025-04-07T01:45:00+10:30"],
            why: "01:45 repeats (14:45Z, 15:15Z): fixed time runs at the first only"),
        Case(
            expression: "15 1 * * *", zone: "Australia/Lord_Howe", start: "2025-04-05T12:00:00+11:00",
            expected: ["2025-04-06T01:15:00+11:00", "2025-04-07T01:15:00+10:30"],
            why: "01:15 is before the repeated half hour"),
        Case(
            expression: "*/20 * * * *", zone: "Australia/Lord_Howe", start: "2025-04-06T01:30:00+11:00",
            expected: ["2025-04-06T01:40:00+11:00", "2025-04-06T01:40:00+10:30", "2025-04-06T02:00:00+10:30"],
            why: "14:40Z; at 15:00Z the clock reads 01:30 again; 01:40 (+10:30) = 15:10Z; 02:00 = 15:30Z"),
    ]

    // Asia/Kolkata: +05:30 all year (no daylight saving since 1945).
    static let kolkata: [Case] = [
        Case(
            expression: "0 0 * * *", zone: "Asia/Kolkata", start: "2025-06-01T12:00:00Z",
            expected: ["2025-06-02T00:00:00+05:30", "2025-06-03T00:00:00+05:30"],
            why: "midnight IST is 18:30Z the day before"),
        Case(
            expression: "30 9 * * MON-FRI", zone: "Asia/Kolkata", start: "2025-06-06T04:00:00Z",
            expected: ["2025-06-09T09:30:00+05:30", "2025-06-10T09:30:00+05:30"],
            why: "start is Friday 09:30 IST exactly: strictly after, so Monday"),
        Case(
            expression: "*/45 * * * *", zone: "Asia/Kolkata", start: "2025-06-01T00:00:00+05:30",
            expected: ["2025-06-01T00:45:00+05:30", "2025-06-01T01:00:00+05:30", "2025-06-01T01:45:00+05:30"],
            why: "minutes 0 and 45 of each hour"),
        Case(
            expression: "0 30 5 * * *", zone: "Asia/Kolkata", start: "2025-12-31T23:59:59Z",
            expected: ["2026-01-01T05:30:00+05:30", "2026-01-02T05:30:00+05:30"],
            why: "six fields: 05:30:00 IST = 00:00Z"),
    ]

    // Rarer changes. Pacific/Apia skipped Friday 30 Dec 2011: at 10:00Z the clock went from
    // 23:59:59 on the 29th (-10:00) to 00:00:00 on the 31st (+14:00). Europe/Moscow moved its
    // standard offset from +04:00 to +03:00 at 2014-10-25T22:00Z (02:00 → 01:00), no DST.
    static let rare: [Case] = [
        Case(
            expression: "0 12 * * *", zone: "Pacific/Apia", start: "2011-12-29T00:00:00-10:00",
            expected: ["2011-12-29T12:00:00-10:00", "2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00"],
            why: "the whole 30th is skipped: the fixed time runs once at the jump"),
        Case(
            expression: "0 */6 * * *", zone: "Pacific/Apia", start: "2011-12-29T18:00:00-10:00",
            expected: ["2011-12-31T00:00:00+14:00", "2011-12-31T06:00:00+14:00"],
            why: "a wildcard job just resumes at the next wall time that occurs"),
        Case(
            expression: "30 1 * * *", zone: "Europe/Moscow", start: "2014-10-25T12:00:00+04:00",
            expected: ["2014-10-26T01:30:00+04:00", "2014-10-27T01:30:00+03:00"],
            why: "a change of standard offset repeats 01:00–01:59 like a fall-back"),
    ]

    @Test("fire times around clock changes follow cron(8)", arguments: newYork + london + lordHowe + kolkata + rare)
    func dst(_ item: Case) throws {
        #expect(try nextTimes(item.expression, item.zone, from: item.start, count: item.expected.count) == item.expected)
    }

    @Test(
        "a fixed-time job fires exactly once on each change day",
        arguments: [
            ("30 2 * * *", "America/New_York", "2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00"),
            ("30 1 * * *", "America/New_York", "2025-11-02T00:00:00-04:00", "2025-11-03T00:00:00-05:00"),
            ("15 2 * * *", "Australia/Lord_Howe", "2025-10-05T00:00:00+10:30", "2025-10-06T00:00:00+11:00"),
            ("45 1 * * *", "Australia/Lord_Howe", "2025-04-06T00:00:00+11:00", "2025-04-07T00:00:00+10:30"),
        ])
    func onceOnChangeDays(_ expression: String, _ zoneID: String, _ from: String, _ through: String) throws {
        let cron = try CronExpression.parse(expression)
        #expect(cron.fireTimes(after: instant(from), through: instant(through), in: zone(zoneID), limit: 10).count == 1)
    }

    @Test("an hourly job fires 23 times on spring-forward day and 25 on fall-back day")
    func hourlyCounts() throws {
        let hourly = try CronExpression.parse("@hourly")
        let ny = zone("America/New_York")
        // (start, end]: the day from just before local midnight to local midnight.
        let spring = hourly.fireTimes(
            after: instant("2025-03-08T23:59:59-05:00"), through: instant("2025-03-09T23:59:59-04:00"), in: ny, limit: 100)
        let fall = hourly.fireTimes(
            after: instant("2025-11-01T23:59:59-04:00"), through: instant("2025-11-02T23:59:59-05:00"), in: ny, limit: 100)
        #expect(spring.count == 23)
        #expect(fall.count == 25)
    }

    @Test(
        "the memo of zone transitions answers as Foundation does",
        arguments: [
            "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham",
            "America/Sao_Paulo", "Pacific/Apia", "Europe/Moscow", "UTC",
        ])
    func memo(_ zoneID: String) {
        let tz = zone(zoneID)
        // Instants from 1901 to 2199 in steps of 9.7 days and 1,234 s, and right around changes.
        var instants: [Int64] = []
        var t: Int64 = -2_200_000_000
        while t < 7_200_000_000 {
            instants.append(t)
            t += 839_234
        }
        var probe: Int64 = 946_684_800
        for _ in 0..<40 {
            guard let next = ZoneTransitions.transition(tz, after: probe) else { break }
            instants += [next - 1, next, next + 1, next + 3_600]
            probe = next
        }
        for instant in instants {
            #expect(
                ZoneTransitions.span(containing: instant, in: tz) == ZoneTransitions.directSpan(containing: instant, in: tz),
                "\(zoneID) at \(instant)")
        }
    }
}
