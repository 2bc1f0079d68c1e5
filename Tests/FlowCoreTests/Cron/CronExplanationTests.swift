import Testing

@testable import FlowCore

/// The plain-English descriptions `flow cron explain` prints. The wording is ours (a spec, not a
/// reference value); these pin it.
@Suite("Cron explanations")
struct CronExplanationTests {
    @Test(
        "expressions read as plain English",
        arguments: [
            ("0 0 * * *", "at 00:00 every day"),
            ("@daily", "at 00:00 every day"),
            ("*/15 * * * 1-5", "every 15 minutes, Monday through Friday"),
            ("30 9 * * MON-FRI", "at 09:30, Monday through Friday"),
            ("0 9,17 * * *", "at 09:00 and 17:00 every day"),
            ("0 0 * * *  ", "at 00:00 every day"),
            ("* * * * *", "every minute"),
            ("0 * * * *", "at minute 0 of every hour"),
            ("@hourly", "at minute 0 of every hour"),
            ("0,30 * * * *", "at minutes 0 and 30 of every hour"),
            ("0 */2 * * *", "at minute 0 of every 2nd hour"),
            ("*/15 9-17 * * *", "every 15 minutes, between 09:00 and 17:59"),
            ("*/10 * * * * *", "every 10 seconds"),
            ("* * * * * *", "every second"),
            ("15 30 9 * * *", "at 09:30:15 every day"),
            ("0 0 1 * *", "at 00:00 on day 1 of the month"),
            ("0 0 1,15 * *", "at 00:00 on days 1 and 15 of the month"),
            ("0 0 L * *", "at 00:00 on the last day of the month"),
            ("0 0 L-3 * *", "at 00:00 on 3 days before the last day of the month"),
            ("0 0 LW * *", "at 00:00 on the last weekday of the month"),
            ("0 0 15W * *", "at 00:00 on the weekday nearest day 15 of the month"),
            ("0 0 * * 5L", "at 00:00 on the last Friday of the month"),
            ("0 0 * * 1#2", "at 00:00 on the second Monday of the month"),
            ("0 0 * * 0", "at 00:00 on Sunday"),
            ("0 0 * * 7", "at 00:00 on Sunday"),
            ("0 0 * * 1,3,5", "at 00:00 on Monday, Wednesday and Friday"),
            ("0 0 1,15 * 1", "at 00:00 on days 1 and 15 of the month, or on Monday"),
            ("0 0 */2 * 1", "at 00:00 on every 2nd day of the month, if it is also Monday"),
            ("0 0 1 1 *", "at 00:00 on day 1 of the month, in January"),
            ("0 12 * JAN-MAR *", "at 12:00 every day in January through March"),
            ("*/5 * * 6,7 *", "every 5 minutes, in June and July"),
            ("0 0 1 */3 *", "at 00:00 on day 1 of the month, in January, April, July and October"),
            ("0 9 * * */2", "at 09:00 on Sunday, Tuesday, Thursday and Saturday"),
            ("5 * * * * *", "at second 5 of every minute"),
            ("19/10 * * * *", "at every 10th minute from 19 through 59 of every hour"),
            ("*/20 12-16 */5 1-15 * *", "every 20 seconds of minutes 12 through 16 of every 5th hour, on days 1 through 15 of the month"),
        ])
    func explanation(_ expression: String, _ expected: String) throws {
        #expect(try CronExpression.parse(expression).explanation == expected)
    }
}
