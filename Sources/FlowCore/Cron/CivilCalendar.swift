/// Proleptic Gregorian calendar arithmetic on day numbers, for wall-clock ("civil") time.
///
/// A day number counts days since 1970-01-01 (day 0; negative before it). Formulas are Howard
/// Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible Low-Level Date
/// Algorithms"), valid for every `Int64` day that does not overflow.
enum CivilCalendar {
    /// Seconds in a civil day (leap seconds do not exist in civil time).
    static let secondsPerDay: Int64 = 86_400

    /// The day number of `year`-`month`-`day`; `month` is 1...12, `day` 1...31.
    static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400  // 0...399
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)  // March = 0
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1  // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of day number `days`: month 1...12, day 1...31.
    static func date(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // March = 0
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The weekday of day number `days`: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(days: Int64) -> Int {
        let r = (days + 4) % 7
        return Int(r < 0 ? r + 7 : r)
    }

    /// 28...31.
    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `value` divided by `divisor` (> 0), rounded towards negative infinity.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let q = value / divisor
        return (value % divisor < 0) ? q - 1 : q
    }
}
