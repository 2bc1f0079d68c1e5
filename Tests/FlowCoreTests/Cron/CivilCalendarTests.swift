import Foundation
import Testing

@testable import FlowCore

/// The calendar arithmetic under the cron search, against Foundation's Gregorian calendar.
@Suite("Civil calendar")
struct CivilCalendarTests {
    @Test("day numbers, dates and weekdays agree with Foundation from 1600 to 2400")
    func againstFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 37th day: visits every weekday, month day and month over 800 years.
        let first = Int64(-135_140)  // 1600-01-01
        let last = Int64(157_054)  // 2400-01-01
        for days in stride(from: first, through: last, by: 37) {
            let date = Date(timeIntervalSince1970: Double(days * 86_400))
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilCalendar.date(days: days)
            #expect(civil.year == Int64(parts.year!) && civil.month == parts.month! && civil.day == parts.day!)
            #expect(CivilCalendar.days(year: civil.year, month: civil.month, day: civil.day) == days)
            #expect(CivilCalendar.weekday(days: days) == parts.weekday! - 1)
            let length = calendar.range(of: .day, in: .month, for: date)!.count
            #expect(CivilCalendar.daysInMonth(year: civil.year, month: civil.month) == length)
        }
    }

    @Test("floor division rounds towards negative infinity")
    func floorDivision() {
        #expect(CivilCalendar.floorDivide(-1, 86_400) == -1)
        #expect(CivilCalendar.floorDivide(-86_400, 86_400) == -1)
        #expect(CivilCalendar.floorDivide(86_399, 86_400) == 0)
    }
}
