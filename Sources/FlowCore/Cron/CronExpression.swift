public import Foundation

/// A parsed cron expression: when a schedule fires, in a given IANA time zone.
///
/// Syntax (docs/scheduling.md): five fields `minute hour day-of-month month day-of-week`, or six
/// with leading seconds; `*`, numbers, ranges `a-b`, steps `*/n` `a-b/n` `a/n`, lists, names
/// `JAN`–`DEC` and `SUN`–`SAT` (any case), `7` as Sunday, `L` `L-n` `LW` `nW` in day-of-month,
/// `nL` `n#k` in day-of-week, `?` for either day field, and the macros `@yearly` `@annually`
/// `@monthly` `@weekly` `@daily` `@midnight` `@hourly`.
///
/// Matching follows cron(8) (Vixie cron, as shipped by Debian and cronie):
/// - When both day fields are restricted — neither begins with `*` nor is `?` — a day matches
///   if either field matches; otherwise both must (crontab(5): "if both fields are restricted
///   (ie, don't start with *), the command will be run when either field matches").
/// - Daylight saving: a *fixed-time* expression is one whose minute and hour fields both do not
///   begin with `*`. Its wall-clock times that a spring-forward skips fire once, at the instant
///   of the jump; its times in a repeated (fall-back) period fire once, at the first occurrence.
///   Every other expression fires at wall-clock times as they occur: never for skipped times,
///   twice for repeated ones. (cron(8): "Only jobs that run at a particular time (not specified
///   as @hourly, nor with '*' in the hour or minute specifier) are affected".)
///
/// Pure computation: `now` is always passed in; nothing reads the clock.
public struct CronExpression: Sendable, Hashable {
    /// The text as given to `parse`.
    public let text: String
    /// True when the text has six fields, the first being seconds. Macros have none.
    public let hasSeconds: Bool
    let syntax: CronSyntax
    let fields: CronFields
    /// False when no civil date and time matches in a whole 400-year Gregorian cycle
    /// (`0 0 30 2 *`): then nothing ever matches, and `next` answers nil without searching.
    let canFire: Bool

    /// Years searched before concluding that an expression never fires (`0 0 30 2 *`). The
    /// Gregorian calendar repeats every 400 years, so one more suffices.
    static let searchYears: Int64 = 401

    /// Parses cron expression text.
    ///
    /// - Throws: `CronError` naming the field, the 0-based character position and what was
    ///   expected: out-of-range values (`60 * * * *`, `* * 0 * *`), zero or oversized steps
    ///   (`*/0 * * * *`), backwards ranges (`5-2 * * * *`), unknown names, misplaced `L`/`W`/`#`/`?`,
    ///   fewer than 5 or more than 6 fields, unknown macros. An expression that can never fire
    ///   (`0 0 30 2 *`) is not an error: `next` returns nil for it.
    public static func parse(_ text: String) throws(CronError) -> CronExpression {
        let syntax = try CronParser(text).parse()
        let fields = CronFields(syntax)
        let canFire = fields.nextWall(from: 0, before: searchYears * 366 * CivilCalendar.secondsPerDay) != nil
        return CronExpression(text: text, hasSeconds: syntax.hasSeconds, syntax: syntax, fields: fields, canFire: canFire)
    }

    /// The first fire time strictly after `instant` in `timeZone`, or nil when there is none
    /// within 401 years (the expression names only impossible dates such as February 30).
    ///
    /// Fire times are whole seconds; `instant` may have a fraction.
    public func next(after instant: Date, in timeZone: TimeZone) -> Date? {
        guard let t = Self.wholeSeconds(instant) else { return nil }
        return nextInstant(after: t, in: timeZone).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// Fire times in (start, end], at most `limit`, ascending. Empty when `limit <= 0`.
    public func fireTimes(after start: Date, through end: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        guard limit > 0, var cursor = Self.wholeSeconds(start) else { return [] }
        let last = end.timeIntervalSince1970
        var result: [Date] = []
        while result.count < limit, let next = nextInstant(after: cursor, in: timeZone), Double(next) <= last {
            result.append(Date(timeIntervalSince1970: Double(next)))
            cursor = next
        }
        return result
    }

    /// `instant` rounded down to a whole second since 1970; nil beyond ±300,000 years.
    private static func wholeSeconds(_ instant: Date) -> Int64? {
        let seconds = instant.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e13 else { return nil }
        return Int64(seconds.rounded(.down))
    }

    /// The first fire instant (seconds since 1970) strictly after `t`.
    ///
    /// Walks the zone's spans of constant UTC offset starting with the one holding `t`. Inside
    /// a span wall time = instant + offset, so the answer is the first matching wall time in the
    /// span's wall range minus the offset. Between spans the DST rule applies: a gap (offset
    /// grows) fires fixed-time expressions at the jump if any of their times fell in it; a repeat
    /// (offset shrinks) is skipped by fixed-time expressions.
    func nextInstant(after t: Int64, in zone: TimeZone) -> Int64? {
        guard canFire else { return nil }
        var span = ZoneTransitions.span(containing: t, in: zone)
        var offset = span.offset
        let searchEnd = t + offset + Self.searchYears * 366 * CivilCalendar.secondsPerDay
        var wallFloor = t + 1 + offset
        if fields.isFixedTime, let previous = span.previous, previous.offsetBefore > offset {
            // t lies after a recent fall-back: this expression's times in the repeated period
            // already fired on the first pass, so skip to the end of the repetition.
            wallFloor = max(wallFloor, previous.instant + previous.offsetBefore)
        }
        while true {
            let spanWallEnd = min(span.next.map { $0.instant + offset } ?? searchEnd, searchEnd)
            if let wall = fields.nextWall(from: wallFloor, before: spanWallEnd) {
                return wall - offset
            }
            guard let jump = span.next, jump.instant + offset < searchEnd else { return nil }
            if jump.offsetAfter > offset {
                // Spring forward: walls [jump + old, jump + new) never happen.
                if fields.isFixedTime,
                    fields.nextWall(from: jump.instant + offset, before: jump.instant + jump.offsetAfter) != nil
                {
                    return jump.instant
                }
                wallFloor = jump.instant + jump.offsetAfter
            } else {
                // Fall back: walls [jump + new, jump + old) happen again; fixed-time skips them.
                wallFloor = fields.isFixedTime ? jump.instant + offset : jump.instant + jump.offsetAfter
            }
            offset = jump.offsetAfter
            span = ZoneTransitions.span(containing: jump.instant, in: zone)
        }
    }
}
