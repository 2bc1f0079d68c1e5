extension CronExpression {
    /// The schedule in plain English, e.g. "at 00:00 every day", "every 15 minutes, Monday
    /// through Friday", "at 09:00 on the last day of the month, in March". Describes what was
    /// written (`*/15` reads "every 15 minutes"); times are wall-clock times in the schedule's
    /// zone, 24-hour.
    public var explanation: String {
        let time = Self.timePhrase(syntax)
        let days = Self.dayPhrase(syntax)
        let months = syntax[.month].isEverything ? nil : "in " + Self.monthPhrase(syntax[.month])
        var sentence = time.text
        switch (days, time.isClockTime) {
        case (nil, true): sentence += " every day" + (months.map { " " + $0 } ?? "")
        case (nil, false): sentence += months.map { ", " + $0 } ?? ""
        case (let days?, let isClockTime):
            // "at 00:00 on day 1", but "every 15 minutes, on Monday" and "at 09:30, Monday through Friday".
            sentence += (isClockTime && days.hasPrefix("on ") ? " " : ", ") + days + (months.map { ", " + $0 } ?? "")
        }
        return sentence
    }

    // MARK: Time of day

    private static func timePhrase(_ syntax: CronSyntax) -> (text: String, isClockTime: Bool) {
        let second = syntax[.second], minute = syntax[.minute], hour = syntax[.hour]
        let secondValues = singles(second)
        let plainSeconds = secondValues?.count == 1
        if let minutes = singles(minute), let hours = singles(hour), minutes.count * hours.count <= 6 {
            let suffix = plainSeconds && secondValues![0] != 0 ? ":" + twoDigits(secondValues![0]) : ""
            let clock = hours.flatMap { h in minutes.map { m in twoDigits(h) + ":" + twoDigits(m) + suffix } }
            if plainSeconds { return ("at " + join(clock), true) }
            return (secondPhrase(second) + " during " + join(clock), true)
        }
        let hasSeconds = !(plainSeconds && secondValues![0] == 0)
        let minuteIsEvery: Bool
        if case .any? = only(minute) { minuteIsEvery = true } else { minuteIsEvery = false }
        var text = hasSeconds ? secondPhrase(second) : ""
        if hasSeconds, minute.isEverything, hour.isEverything, secondValues == nil, only(second) != nil {
            return (text, false)  // "every second", "every 10 seconds"
        }
        let minuteText: String
        if minute.isEverything {
            minuteText = hasSeconds ? "of every minute" : "every minute"
        } else if case .any(let step)? = only(minute) {
            minuteText = hasSeconds ? "of every \(ordinal(step)) minute" : "every \(step) minutes"
        } else {
            minuteText = (hasSeconds ? "of " : "at ") + unitPhrase(minute, "minute", "minutes")
        }
        text = hasSeconds ? text + " " + minuteText : minuteText
        if hour.isEverything {
            if !minuteIsEvery { text += " of every hour" }
        } else if case .any(let step)? = only(hour) {
            text += (minuteIsEvery ? " in every " : " of every ") + ordinal(step) + " hour"
        } else if case .range(let first, let last, 1)? = only(hour) {
            text += ", between \(twoDigits(first)):00 and \(twoDigits(last)):59"
        } else if let values = singles(hour), values.count == 1 {
            text += ", between \(twoDigits(values[0])):00 and \(twoDigits(values[0])):59"
        } else {
            text += ", during " + unitPhrase(hour, "hour", "hours")
        }
        return (text, false)
    }

    private static func secondPhrase(_ second: CronSyntax.FieldSyntax) -> String {
        if second.isEverything { return "every second" }
        if case .any(let step)? = only(second) { return "every \(step) seconds" }
        return "at " + unitPhrase(second, "second", "seconds")
    }

    /// "minute 5", "minutes 0 and 30", "minutes 10 through 20", "every 3rd minute from 13
    /// through 59", or several of these joined.
    private static func unitPhrase(_ field: CronSyntax.FieldSyntax, _ singular: String, _ plural: String) -> String {
        var plain: [String] = []
        var stepped: [String] = []
        for item in field.items {
            switch item {
            case .value(let v): plain.append("\(v)")
            case .range(let first, let last, 1): plain.append("\(first) through \(last)")
            case .range(let first, let last, let step): stepped.append("every \(ordinal(step)) \(singular) from \(first) through \(last)")
            case .any(let step): stepped.append(step == 1 ? "every \(singular)" : "every \(ordinal(step)) \(singular)")
            default: break
            }
        }
        var parts: [String] = []
        if !plain.isEmpty {
            let one = plain.count == 1 && !plain[0].contains(" ")
            parts.append((one ? singular : plural) + " " + join(plain))
        }
        return join(parts + stepped)
    }

    // MARK: Days

    /// nil when every day matches.
    private static func dayPhrase(_ syntax: CronSyntax) -> String? {
        let dom = syntax[.dayOfMonth], dow = syntax[.dayOfWeek]
        let monthDays = dom.isEverything ? nil : dayOfMonthPhrase(dom)
        let weekDays = dow.isEverything ? nil : dayOfWeekPhrase(dow)
        switch (monthDays, weekDays) {
        case (nil, nil): return nil
        case (let m?, nil): return m
        case (nil, let w?): return w
        case (let m?, let w?):
            // crontab(5): either matches when both are restricted, else both must.
            return !dom.beginsWithWildcard && !dow.beginsWithWildcard
                ? "\(m), or \(w)" : "\(m), if it is also \(w.hasPrefix("on ") ? String(w.dropFirst(3)) : w)"
        }
    }

    private static func dayOfMonthPhrase(_ field: CronSyntax.FieldSyntax) -> String {
        var plain: [CronSyntax.Item] = []
        var special: [String] = []
        for item in field.items {
            switch item {
            case .lastDayOfMonth(0): special.append("the last day of the month")
            case .lastDayOfMonth(let offset): special.append("\(offset) \(offset == 1 ? "day" : "days") before the last day of the month")
            case .lastWeekdayOfMonth: special.append("the last weekday of the month")
            case .nearestWeekday(let day): special.append("the weekday nearest day \(day) of the month")
            default: plain.append(item)
            }
        }
        var phrases: [String] = []
        if !plain.isEmpty {
            let sub = CronSyntax.FieldSyntax(items: plain, beginsWithWildcard: false)
            phrases.append(unitPhrase(sub, "day", "days") + " of the month")
        }
        return "on " + join(phrases + special)
    }

    private static func dayOfWeekPhrase(_ field: CronSyntax.FieldSyntax) -> String {
        if field.items.count == 1, case .range(let first, let last, 1) = field.items[0] {
            return "\(weekdayName(first)) through \(weekdayName(last))"
        }
        var parts: [String] = []
        for item in field.items {
            switch item {
            case .lastWeekday(let day): parts.append("the last \(weekdayName(day)) of the month")
            case .nthWeekday(let day, let nth):
                let names = ["first", "second", "third", "fourth", "fifth"]
                parts.append("the \(names[nth - 1]) \(weekdayName(day)) of the month")
            case .any(let step): parts += stride(from: 0, through: 6, by: step).map(weekdayName)
            case .range(let first, let last, let step) where step > 1:
                parts += stride(from: first, through: last, by: step).map(weekdayName)
            default: parts.append(describe(.init(items: [item], beginsWithWildcard: false), weekdayName))
            }
        }
        return "on " + join(parts)
    }

    /// Month names; steps spelled out ("January, April, July and October").
    private static func monthPhrase(_ field: CronSyntax.FieldSyntax) -> String {
        join(
            field.items.flatMap { item -> [String] in
                switch item {
                case .any(let step): stride(from: 1, through: 12, by: step).map(monthName)
                case .range(let first, let last, let step) where step > 1: stride(from: first, through: last, by: step).map(monthName)
                default: [describe(.init(items: [item], beginsWithWildcard: false), monthName)]
                }
            })
    }

    // MARK: Words

    /// Items in words: values, "a through b", "every nth from a through b".
    private static func describe(_ field: CronSyntax.FieldSyntax, _ name: (Int) -> String) -> String {
        join(
            field.items.map { item -> String in
                switch item {
                case .any(let step): step == 1 ? "every value" : "every \(ordinal(step))"
                case .value(let v): name(v)
                case .range(let first, let last, 1): "\(name(first)) through \(name(last))"
                case .range(let first, let last, let step): "every \(ordinal(step)) from \(name(first)) through \(name(last))"
                default: "?"
                }
            })
    }

    /// The values of a field made only of single values, sorted; nil otherwise.
    private static func singles(_ field: CronSyntax.FieldSyntax) -> [Int]? {
        var values: [Int] = []
        for item in field.items {
            guard case .value(let v) = item else { return nil }
            values.append(v)
        }
        return values.sorted()
    }

    private static func only(_ field: CronSyntax.FieldSyntax) -> CronSyntax.Item? {
        field.items.count == 1 ? field.items[0] : nil
    }

    private static func weekdayName(_ day: Int) -> String {
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][day % 7]
    }

    private static func monthName(_ month: Int) -> String {
        [
            "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ][month]
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// "1st", "2nd", "3rd", "4th", "11th", "21st".
    private static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    /// "a", "a and b", "a, b and c".
    private static func join(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
    }
}
