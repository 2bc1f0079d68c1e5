/// A cron expression as written: one list of items per field, before it is compiled into bit
/// sets. Kept for `CronExpression.explanation`, which describes what was written (`*/15` reads
/// "every 15 minutes", not "at minutes 0, 15, 30 and 45").
struct CronSyntax: Sendable, Hashable {
    /// The six fields of a cron expression, in written order (seconds first when present).
    enum Field: Int, Sendable, Hashable, CaseIterable {
        case second, minute, hour, dayOfMonth, month, dayOfWeek

        /// As in `CronError.field`.
        var name: String {
            switch self {
            case .second: "second"
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// Values a number may take. Day-of-week allows 7 as a second Sunday (cron(8)).
        var bounds: ClosedRange<Int> {
            switch self {
            case .second, .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// The last value `*` and `a/n` run to: Saturday (6) for day-of-week, else the upper bound.
        var last: Int { self == .dayOfWeek ? 6 : bounds.upperBound }

        /// Used in messages: "expected <expected>".
        var expected: String {
            switch self {
            case .second: "a second 0–59"
            case .minute: "a minute 0–59"
            case .hour: "an hour 0–23"
            case .dayOfMonth: "a day of month 1–31"
            case .month: "a month 1–12 or JAN–DEC"
            case .dayOfWeek: "a day of week 0–7 or SUN–SAT (0 and 7 are Sunday)"
            }
        }

        /// Three-letter names, index = value; nil for numeric-only fields.
        var names: [String]? {
            switch self {
            case .month: ["", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: nil
            }
        }
    }

    /// One comma-separated item of a field.
    enum Item: Sendable, Hashable {
        /// `*` (step 1) or `*/step`.
        case any(step: Int)
        /// One value: `5`, `MON`.
        case value(Int)
        /// `first-last`, `first-last/step`, or `first/step` (then `last` is the field's `last`).
        case range(first: Int, last: Int, step: Int)
        /// `L` (offset 0) or `L-offset`, day-of-month only.
        case lastDayOfMonth(offset: Int)
        /// `LW`, day-of-month only: the last Monday-to-Friday day of the month.
        case lastWeekdayOfMonth
        /// `dayW`, day-of-month only: the Monday-to-Friday day nearest `day`, within the month.
        case nearestWeekday(day: Int)
        /// `weekdayL`, day-of-week only: the last such weekday of the month (0...7).
        case lastWeekday(Int)
        /// `weekday#nth`, day-of-week only: the nth (1...5) such weekday of the month.
        case nthWeekday(Int, nth: Int)
    }

    /// One field: its items and whether it counts as a wildcard for cron(8)'s rules.
    struct FieldSyntax: Sendable, Hashable {
        var items: [Item]
        /// The field's text begins with `*`, or is `?`. cron(8) treats such a day field as
        /// unrestricted for the day-of-month/day-of-week rule, and such a minute or hour field
        /// as "wildcard" for daylight-saving handling.
        var beginsWithWildcard: Bool

        /// `*` alone (or `?`).
        var isEverything: Bool { items == [.any(step: 1)] }
    }

    /// Six fields indexed by `Field.rawValue`; `second` is `0` when the text has five fields.
    var fields: [FieldSyntax]
    var hasSeconds: Bool

    subscript(_ field: Field) -> FieldSyntax { fields[field.rawValue] }
}
