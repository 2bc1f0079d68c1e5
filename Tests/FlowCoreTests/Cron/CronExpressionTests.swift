import Foundation
import Testing

@testable import FlowCore

/// Syntax features and API behaviour, with expected times derived by hand from the 2025
/// calendar: 1 Jan 2025 is a Wednesday; months begin Jan Wed, Feb Sat, Mar Sat, Apr Tue, May Thu,
/// Jun Sun, Jul Tue, Aug Fri, Sep Mon, Oct Wed, Nov Sat, Dec Mon.
@Suite("Cron expressions")
struct CronExpressionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var expected: [String]
        var why: String
        var testDescription: String { "\(expression): \(why)" }
    }

    /// All from 2025-01-01T00:00:00Z in UTC (that instant itself is excluded).
    static let features: [Case] = [
        Case(
            expression: "0 0 LW * *",
            expected: [
                "2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z", "2025-04-30T00:00:00Z", "2025-05-30T00:00:00Z",
            ],
            why: "last weekday: 31 May is a Saturday, so Friday 30"),
        Case(
            expression: "0 0 L-3 * *", expected: ["2025-01-28T00:00:00Z", "2025-02-25T00:00:00Z", "2025-03-28T00:00:00Z"],
            why: "three days before the last day; February has 28"),
        Case(
            expression: "0 0 L * *",
            expected: ["2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z", "2025-04-30T00:00:00Z"],
            why: "last day of the month"),
        Case(
            expression: "0 0 1W * *",
            expected: [
                "2025-02-03T00:00:00Z", "2025-03-03T00:00:00Z", "2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z", "2025-06-02T00:00:00Z",
            ],
            why: "1 Feb and 1 Mar are Saturdays → Monday 3 (never back into the previous month); 1 Jun Sunday → 2"),
        Case(
            expression: "0 0 15W * *",
            expected: ["2025-01-15T00:00:00Z", "2025-02-14T00:00:00Z", "2025-03-14T00:00:00Z", "2025-04-15T00:00:00Z"],
            why: "15 Feb and 15 Mar are Saturdays → Friday 14"),
        Case(
            expression: "0 0 1W,15W * *", expected: ["2025-01-15T00:00:00Z", "2025-02-03T00:00:00Z", "2025-02-14T00:00:00Z"],
            why: "a list of nearest-weekday days"),
        Case(
            expression: "0 0 * * 5L",
            expected: ["2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-28T00:00:00Z", "2025-04-25T00:00:00Z"],
            why: "last Friday of each month"),
        Case(
            expression: "0 0 * * friL", expected: ["2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z"],
            why: "a name before L"),
        Case(
            expression: "0 0 * * 1#2",
            expected: ["2025-01-13T00:00:00Z", "2025-02-10T00:00:00Z", "2025-03-10T00:00:00Z", "2025-04-14T00:00:00Z"],
            why: "second Monday"),
        Case(
            expression: "0 0 * * MON#2,5L",
            expected: ["2025-01-13T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-10T00:00:00Z", "2025-02-28T00:00:00Z"],
            why: "a list of special weekdays"),
        Case(
            expression: "0 0 * * 5#5", expected: ["2025-01-31T00:00:00Z", "2025-05-30T00:00:00Z", "2025-08-29T00:00:00Z"],
            why: "fifth Friday: only months with five"),
        Case(
            expression: "0 0 1,15 * 1",
            expected: [
                "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z", "2025-01-15T00:00:00Z", "2025-01-20T00:00:00Z", "2025-01-27T00:00:00Z",
                "2025-02-01T00:00:00Z", "2025-02-03T00:00:00Z",
            ],
            why: "both day fields restricted: either matches (crontab(5))"),
        Case(
            expression: "0 0 */2 * 1",
            expected: ["2025-01-13T00:00:00Z", "2025-01-27T00:00:00Z", "2025-02-03T00:00:00Z", "2025-02-17T00:00:00Z"],
            why: "day-of-month begins with '*': both must match — odd days that are Mondays"),
        Case(
            expression: "0 0 ? * MON", expected: ["2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z"],
            why: "? is unrestricted"),
        Case(
            expression: "0 0 * * 7", expected: ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"],
            why: "7 is Sunday"),
        Case(
            expression: "0 0 * * 5-7",
            expected: ["2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-10T00:00:00Z"],
            why: "Friday through Sunday"),
        Case(
            expression: "0 0 * * 1/2", expected: ["2025-01-03T00:00:00Z", "2025-01-06T00:00:00Z", "2025-01-08T00:00:00Z"],
            why: "a/n runs to Saturday: Monday, Wednesday, Friday"),
        Case(
            expression: "0 0 * * sun-SAT/3", expected: ["2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-08T00:00:00Z"],
            why: "names in any case; Sunday, Wednesday, Saturday"),
        Case(
            expression: "0 12 1 jan,Jul *", expected: ["2025-01-01T12:00:00Z", "2025-07-01T12:00:00Z", "2026-01-01T12:00:00Z"],
            why: "month names"),
        Case(
            expression: "0 0 1 */5 *", expected: ["2025-06-01T00:00:00Z", "2025-11-01T00:00:00Z", "2026-01-01T00:00:00Z"],
            why: "months 1, 6, 11"),
        Case(
            expression: "*/60 * * * *", expected: ["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"],
            why: "a step as long as the field gives only its first value"),
        Case(
            expression: "10-50/20 * * * *",
            expected: ["2025-01-01T00:10:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:50:00Z", "2025-01-01T01:10:00Z"],
            why: "stepped range"),
        Case(
            expression: "*/20 * * * * *", expected: ["2025-01-01T00:00:20Z", "2025-01-01T00:00:40Z", "2025-01-01T00:01:00Z"],
            why: "six fields: seconds first"),
        Case(
            expression: "0 0 29 2 *", expected: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"],
            why: "29 February only in leap years"),
        Case(expression: "@yearly", expected: ["2026-01-01T00:00:00Z"], why: "macro"),
        Case(expression: "@annually", expected: ["2026-01-01T00:00:00Z"], why: "macro"),
        Case(expression: "@monthly", expected: ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"], why: "macro"),
        Case(expression: "@weekly", expected: ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"], why: "macro: Sundays"),
        Case(expression: "@daily", expected: ["2025-01-02T00:00:00Z"], why: "macro"),
        Case(expression: "@MIDNIGHT", expected: ["2025-01-02T00:00:00Z"], why: "macro, any case"),
        Case(expression: "@hourly", expected: ["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"], why: "macro"),
        Case(expression: "  0   0 *\t* *  ", expected: ["2025-01-02T00:00:00Z"], why: "any spaces and tabs between fields"),
    ]

    @Test("syntax features fire at the hand-derived times", arguments: features)
    func feature(_ item: Case) throws {
        #expect(try nextTimes(item.expression, "UTC", from: "2025-01-01T00:00:00Z", count: item.expected.count) == item.expected)
    }

    @Test("31W fires on the nearest weekday only in months that have a 31st")
    func nearestWeekdayOf31st() throws {
        // April has 30 days: none. 31 May is a Saturday → 30. 31 Jul Thursday. 31 Aug Sunday →
        // Friday 29 (the month's last day is a Sunday, so back two days).
        #expect(
            try nextTimes("0 0 31W * *", "UTC", from: "2025-04-01T00:00:00Z") == [
                "2025-05-30T00:00:00Z", "2025-07-31T00:00:00Z", "2025-08-29T00:00:00Z",
            ])
    }

    @Test("2100 is not a leap year")
    func centuryRule() throws {
        #expect(try nextTimes("0 0 29 2 *", "UTC", from: "2097-03-01T00:00:00Z", count: 1) == ["2104-02-29T00:00:00Z"])
    }

    @Test(
        "equivalent spellings give the same fire times",
        arguments: [
            ("0 9 * * 1-5", "0 9 * * MON-FRI"), ("0 9 * * 0", "0 9 * * 7"), ("0 9 * * sun", "0 9 * * SUN"),
            ("0 0 1 1 *", "@yearly"), ("0 0 * * 0", "@weekly"), ("0 * * * *", "@hourly"), ("0 0 * * *", "0 0 0 * * *"),
            ("0 0 ? * 1", "0 0 * * 1"), ("0 0 1 * ?", "0 0 1 * *"), ("5/15 * * * *", "5-59/15 * * * *"),
            ("0 0 * JAN-MAR *", "0 0 * 1,2,3 *"), ("0 0 * * 5L", "0 0 * * FRIL"), ("0 0 L * *", "0 0 L-0 * *"),
        ])
    func equivalent(_ a: String, _ b: String) throws {
        let x = try CronExpression.parse(a), y = try CronExpression.parse(b)
        let start = instant("2025-01-01T00:00:00Z"), end = instant("2026-12-31T00:00:00Z")
        let tz = zone("Europe/London")
        #expect(x.fireTimes(after: start, through: end, in: tz, limit: 800) == y.fireTimes(after: start, through: end, in: tz, limit: 800))
    }

    @Test("text and hasSeconds are as written")
    func properties() throws {
        let five = try CronExpression.parse(" 0 9 * * MON-FRI ")
        #expect(five.text == " 0 9 * * MON-FRI ")
        #expect(!five.hasSeconds)
        #expect(try CronExpression.parse("0 0 9 * * *").hasSeconds)
        #expect(try !CronExpression.parse("@daily").hasSeconds)
        #expect(try CronExpression.parse("0 0 * * *") == CronExpression.parse("0 0 * * *"))
    }

    @Test("next is strictly after the instant, and a fraction of a second counts")
    func strictlyAfter() throws {
        let everySecond = try CronExpression.parse("* * * * * *")
        let utc = zone("UTC")
        let t = instant("2025-01-01T00:00:00Z")
        #expect(everySecond.next(after: t, in: utc) == t.addingTimeInterval(1))
        #expect(everySecond.next(after: t.addingTimeInterval(0.5), in: utc) == t.addingTimeInterval(1))
        #expect(everySecond.next(after: t.addingTimeInterval(-0.5), in: utc) == t)
        let daily = try CronExpression.parse("0 0 * * *")
        #expect(daily.next(after: t, in: utc) == instant("2025-01-02T00:00:00Z"))
        #expect(daily.next(after: t.addingTimeInterval(-1), in: utc) == t)
    }

    @Test("fireTimes covers (start, end] and stops at limit")
    func fireTimesBounds() throws {
        let hourly = try CronExpression.parse("0 * * * *")
        let utc = zone("UTC")
        let start = instant("2025-01-01T00:00:00Z"), end = instant("2025-01-01T03:00:00Z")
        #expect(
            hourly.fireTimes(after: start, through: end, in: utc, limit: 10) == [
                instant("2025-01-01T01:00:00Z"), instant("2025-01-01T02:00:00Z"), instant("2025-01-01T03:00:00Z"),
            ])
        #expect(hourly.fireTimes(after: start, through: end, in: utc, limit: 2).count == 2)
        #expect(hourly.fireTimes(after: start, through: end, in: utc, limit: 0).isEmpty)
        #expect(hourly.fireTimes(after: end, through: start, in: utc, limit: 5).isEmpty)
    }

    @Test("dates far from 1970 work, before and after")
    func farDates() throws {
        #expect(try nextTimes("0 0 1 1 *", "UTC", from: "1900-06-01T00:00:00Z", count: 1) == ["1901-01-01T00:00:00Z"])
        #expect(try nextTimes("30 4 L 2 *", "UTC", from: "2399-03-01T00:00:00Z", count: 1) == ["2400-02-29T04:30:00Z"])
        let cron = try CronExpression.parse("* * * * *")
        #expect(cron.next(after: Date(timeIntervalSince1970: .infinity), in: zone("UTC")) == nil)
    }
}
