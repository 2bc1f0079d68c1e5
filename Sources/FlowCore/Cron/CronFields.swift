/// A cron expression compiled into bit sets, and the search for the next matching wall-clock
/// time. Wall-clock ("civil") times are seconds since 1970-01-01T00:00:00 on a calendar without
/// time zones; `CronExpression` maps them to instants.
struct CronFields: Sendable, Hashable {
    /// Bit n set: second n (0...59) matches. Five-field expressions have only bit 0.
    var seconds: UInt64 = 0
    /// Bit n: minute n (0...59).
    var minutes: UInt64 = 0
    /// Bit n: hour n (0...23).
    var hours: UInt64 = 0
    /// Bit n: day of month n (1...31).
    var daysOfMonth: UInt64 = 0
    /// Bit k: `L-k`, the day k days before the last day of the month (0...30).
    var lastDayOffsets: UInt64 = 0
    /// Bit n: `nW`, the Monday-to-Friday day nearest day n, within the month.
    var nearestWeekdays: UInt64 = 0
    /// `LW`: the last Monday-to-Friday day of the month.
    var lastWeekdayOfMonth = false
    /// Bit n: month n (1...12).
    var months: UInt64 = 0
    /// Bit n: weekday n (0 = Sunday ... 6).
    var daysOfWeek: UInt64 = 0
    /// Bit n: `nL`, the last weekday n of the month.
    var lastDaysOfWeek: UInt64 = 0
    /// Bit (k - 1) * 7 + n: `n#k`, the k-th weekday n of the month.
    var nthDaysOfWeek: UInt64 = 0
    /// Day-of-month and day-of-week both restricted: a day matches if either matches
    /// (crontab(5)); otherwise both must.
    var daysMatchEither = false
    /// Neither the minute nor the hour field begins with `*`: cron(8)'s "fixed-time" job, whose
    /// times in a skipped hour run once after the jump and in a repeated hour run once.
    var isFixedTime = false

    init(_ syntax: CronSyntax) {
        seconds = Self.bits(syntax[.second], .second)
        minutes = Self.bits(syntax[.minute], .minute)
        hours = Self.bits(syntax[.hour], .hour)
        daysOfMonth = Self.bits(syntax[.dayOfMonth], .dayOfMonth)
        months = Self.bits(syntax[.month], .month)
        daysOfWeek = Self.bits(syntax[.dayOfWeek], .dayOfWeek)
        for item in syntax[.dayOfMonth].items {
            switch item {
            case .lastDayOfMonth(let offset): lastDayOffsets |= 1 << offset
            case .lastWeekdayOfMonth: lastWeekdayOfMonth = true
            case .nearestWeekday(let day): nearestWeekdays |= 1 << day
            default: break
            }
        }
        for item in syntax[.dayOfWeek].items {
            switch item {
            case .lastWeekday(let weekday): lastDaysOfWeek |= 1 << (weekday % 7)
            case .nthWeekday(let weekday, let nth): nthDaysOfWeek |= 1 << ((nth - 1) * 7 + weekday % 7)
            default: break
            }
        }
        daysMatchEither = !syntax[.dayOfMonth].beginsWithWildcard && !syntax[.dayOfWeek].beginsWithWildcard
        isFixedTime = !syntax[.minute].beginsWithWildcard && !syntax[.hour].beginsWithWildcard
    }

    /// The plain values of a field (`*`, numbers, ranges, steps) as a bit set; 7 → 0 for weekdays.
    private static func bits(_ field: CronSyntax.FieldSyntax, _ kind: CronSyntax.Field) -> UInt64 {
        var bits: UInt64 = 0
        func add(_ first: Int, _ last: Int, _ step: Int) {
            for value in stride(from: first, through: last, by: step) {
                bits |= 1 << (kind == .dayOfWeek ? value % 7 : value)
            }
        }
        for item in field.items {
            switch item {
            case .any(let step): add(kind.bounds.lowerBound, kind.last, step)
            case .value(let value): add(value, value, 1)
            case .range(let first, let last, let step): add(first, last, step)
            default: break
            }
        }
        return bits
    }

    /// Bit d set: day d of `month` in `year` matches the day-of-month, day-of-week and the rule
    /// that combines them. The month field is not consulted.
    func dayMask(year: Int64, month: Int) -> UInt64 {
        let length = CivilCalendar.daysInMonth(year: year, month: month)
        let valid: UInt64 = (1 << (length + 1)) - 2  // bits 1...length
        let firstWeekday = CivilCalendar.weekday(days: CivilCalendar.days(year: year, month: month, day: 1))
        // Day d has weekday (firstWeekday + d - 1) % 7; `firstDay(w)` is the first day with weekday w.
        func firstDay(_ weekday: Int) -> Int { 1 + (weekday - firstWeekday + 7) % 7 }

        var dom = daysOfMonth & valid
        if lastDayOffsets != 0 {
            var offsets = lastDayOffsets
            while offsets != 0 {
                let k = offsets.trailingZeroBitCount
                offsets &= offsets - 1
                if length - k >= 1 { dom |= 1 << (length - k) }
            }
        }
        if nearestWeekdays != 0 || lastWeekdayOfMonth {
            // Weekday of day d: 0 = Sunday, 6 = Saturday. Never leaves the month (Quartz's rule).
            func weekday(_ day: Int) -> Int { (firstWeekday + day - 1) % 7 }
            func nearestWeekday(_ day: Int) -> Int {
                switch weekday(day) {
                case 6: return day == 1 ? 3 : day - 1
                case 0: return day == length ? day - 2 : day + 1
                default: return day
                }
            }
            var days = nearestWeekdays & valid
            while days != 0 {
                let d = days.trailingZeroBitCount
                days &= days - 1
                dom |= 1 << nearestWeekday(d)
            }
            if lastWeekdayOfMonth {
                let w = weekday(length)
                dom |= 1 << (w == 6 ? length - 1 : w == 0 ? length - 2 : length)
            }
        }

        var dow: UInt64 = 0
        if daysOfWeek != 0 {
            // Rotate the weekday set so bit j means "day j + 1 has a weekday in the set".
            let rotated = ((daysOfWeek >> firstWeekday) | (daysOfWeek << (7 - firstWeekday))) & 0x7F
            dow = (rotated | rotated << 7 | rotated << 14 | rotated << 21 | rotated << 28) << 1
        }
        if lastDaysOfWeek != 0 {
            let lastWeekday = (firstWeekday + length - 1) % 7
            var weekdays = lastDaysOfWeek
            while weekdays != 0 {
                let w = weekdays.trailingZeroBitCount
                weekdays &= weekdays - 1
                dow |= 1 << (length - (lastWeekday - w + 7) % 7)
            }
        }
        if nthDaysOfWeek != 0 {
            var bits = nthDaysOfWeek
            while bits != 0 {
                let index = bits.trailingZeroBitCount
                bits &= bits - 1
                dow |= 1 << (firstDay(index % 7) + 7 * (index / 7))
            }
        }
        dow &= valid
        return daysMatchEither ? (dom | dow) : (dom & dow)
    }

    /// The first second of the day at or after `secondOfDay` (0...86_399) that matches the
    /// hour, minute and second fields, or nil when none is left in the day.
    func nextTimeOfDay(from secondOfDay: Int) -> Int? {
        var hour = secondOfDay / 3600
        var minute = (secondOfDay / 60) % 60
        var second = secondOfDay % 60
        while let h = Self.nextBit(hours, from: hour), h < 24 {
            if h != hour {
                minute = 0
                second = 0
            }
            hour = h
            while let m = Self.nextBit(minutes, from: minute), m < 60 {
                if m != minute { second = 0 }
                minute = m
                if let s = Self.nextBit(seconds, from: second), s < 60 {
                    return hour * 3600 + minute * 60 + s
                }
                minute += 1
                second = 0
            }
            hour += 1
            minute = 0
            second = 0
        }
        return nil
    }

    /// The first matching wall-clock second `w` with `start <= w < end`, or nil.
    ///
    /// Skips whole months and days with the bit sets; cost is proportional to the number of
    /// months and matching days visited, not to seconds.
    func nextWall(from start: Int64, before end: Int64) -> Int64? {
        guard start < end else { return nil }
        let perDay = CivilCalendar.secondsPerDay
        var days = CivilCalendar.floorDivide(start, perDay)
        var secondOfDay = Int(start - days * perDay)
        var (year, month, day) = CivilCalendar.date(days: days)
        var mask: UInt64?
        while true {
            if months & (1 << month) == 0 {
                if let next = Self.nextBit(months, from: month + 1), next <= 12 {
                    month = next
                } else {
                    year += 1
                    month = months.trailingZeroBitCount
                }
                day = 1
                secondOfDay = 0
                mask = nil
                days = CivilCalendar.days(year: year, month: month, day: 1)
                if days * perDay >= end { return nil }
            }
            let dayMask = mask ?? dayMask(year: year, month: month)
            mask = dayMask
            guard let matching = Self.nextBit(dayMask, from: day) else {
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
                day = 1
                secondOfDay = 0
                mask = nil
                days = CivilCalendar.days(year: year, month: month, day: 1)
                if days * perDay >= end { return nil }
                continue
            }
            if matching != day {
                days += Int64(matching - day)
                day = matching
                secondOfDay = 0
                if days * perDay >= end { return nil }
            }
            if let time = nextTimeOfDay(from: secondOfDay) {
                let wall = days * perDay + Int64(time)
                return wall < end ? wall : nil
            }
            day += 1
            days += 1
            secondOfDay = 0
            if days * perDay >= end { return nil }
        }
    }

    /// The lowest set bit of `mask` at index `from` or above, or nil.
    @inline(__always)
    static func nextBit(_ mask: UInt64, from index: Int) -> Int? {
        guard index < 64 else { return nil }
        let rest = mask >> index
        return rest == 0 ? nil : index + rest.trailingZeroBitCount
    }
}
