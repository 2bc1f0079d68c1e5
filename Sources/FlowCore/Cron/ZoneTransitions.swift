import Foundation
import Synchronization

/// The span of constant UTC offset around an instant, as Foundation's `TimeZone` defines it:
/// the offset in force, and the transitions that open and close the span.
struct ZoneSpan: Sendable, Equatable {
    /// Seconds east of UTC during the span.
    var offset: Int64
    /// The transition that began the span, if it is known and within the last 2 days, with the
    /// offset before it. Used to tell whether an instant lies in a repeated (fall-back) period.
    var previous: (instant: Int64, offsetBefore: Int64)?
    /// The transition that ends the span, with the offset after it; nil when the zone has no
    /// later transition.
    var next: (instant: Int64, offsetAfter: Int64)?

    static func == (a: ZoneSpan, b: ZoneSpan) -> Bool {
        a.offset == b.offset && a.previous?.instant == b.previous?.instant
            && a.previous?.offsetBefore == b.previous?.offsetBefore && a.next?.instant == b.next?.instant
            && a.next?.offsetAfter == b.next?.offsetAfter
    }
}

/// Zone transitions, memoised per zone identifier.
///
/// Foundation answers `nextDaylightSavingTimeTransition(after:)` in 1–5 µs for zones with
/// daylight saving, which would dominate a next-fire computation. This table walks the
/// transitions of each zone once, forward from 1900, as far as queries need (never past 2200),
/// and answers later queries by binary search. Outside 1900–2200 it asks Foundation directly.
/// The memo is process-wide so every `CronExpression` shares it; its size is bounded by the
/// number of zones used times at most ~700 transitions each. It holds only what Foundation
/// said, so it cannot change any answer.
enum ZoneTransitions {
    /// 1900-01-01T00:00:00Z and 2200-01-01T00:00:00Z.
    static let anchor: Int64 = -2_208_988_800
    static let horizon: Int64 = 7_258_118_400
    static let lookBehind: Int64 = 2 * 86_400

    /// One zone's walk. A class so the locked dictionary hands out the table without copying
    /// its arrays; only touched under `tables`' lock.
    private final class Table {
        /// Every transition in (anchor, walkedUntil], ascending, and the offset from each on.
        var instants: [Int64] = []
        var offsets: [Int64] = []
        var initialOffset: Int64
        var walkedUntil: Int64
        /// Foundation reported no transition after `walkedUntil`.
        var finished = false

        init(zone: TimeZone) {
            initialOffset = ZoneTransitions.offset(zone, at: ZoneTransitions.anchor)
            walkedUntil = ZoneTransitions.anchor
        }

        /// Walks until a transition after `instant` is known, the zone has none, or the horizon.
        func walk(past instant: Int64, zone: TimeZone) {
            while !finished, walkedUntil <= instant, walkedUntil < ZoneTransitions.horizon {
                guard let next = ZoneTransitions.transition(zone, after: walkedUntil) else {
                    finished = true
                    return
                }
                instants.append(next)
                offsets.append(ZoneTransitions.offset(zone, at: next))
                walkedUntil = next
            }
        }

        /// Index of the last transition at or before `instant`, or -1.
        func index(atOrBefore instant: Int64) -> Int {
            var low = 0, high = instants.count
            while low < high {
                let mid = (low + high) / 2
                if instants[mid] <= instant { low = mid + 1 } else { high = mid }
            }
            return low - 1
        }

        func offset(after index: Int) -> Int64 { index < 0 ? initialOffset : offsets[index] }
    }

    private static let tables = Mutex<[String: Table]>([:])

    /// The span of constant offset that contains `instant` in `zone`.
    static func span(containing instant: Int64, in zone: TimeZone) -> ZoneSpan {
        guard instant >= anchor + lookBehind, instant < horizon - 400 * 86_400 else {
            return directSpan(containing: instant, in: zone)
        }
        return tables.withLock { tables in
            let table: Table
            if let known = tables[zone.identifier] {
                table = known
            } else {
                table = Table(zone: zone)
                tables[zone.identifier] = table
            }
            table.walk(past: instant, zone: zone)
            if !table.finished, table.walkedUntil <= instant {
                return directSpan(containing: instant, in: zone)  // past the horizon
            }
            let i = table.index(atOrBefore: instant)
            var span = ZoneSpan(offset: table.offset(after: i))
            if i >= 0, table.instants[i] > instant - lookBehind {
                span.previous = (table.instants[i], table.offset(after: i - 1))
            }
            if i + 1 < table.instants.count {
                span.next = (table.instants[i + 1], table.offsets[i + 1])
            }
            return span
        }
    }

    /// The same answer computed with Foundation alone (no memo).
    static func directSpan(containing instant: Int64, in zone: TimeZone) -> ZoneSpan {
        var span = ZoneSpan(offset: offset(zone, at: instant))
        var probe = transition(zone, after: instant - lookBehind)
        while let p = probe, p <= instant {
            span.previous = (p, offset(zone, at: p - 1))
            probe = transition(zone, after: p)
        }
        span.next = probe.map { ($0, offset(zone, at: $0)) }
        return span
    }

    static func offset(_ zone: TimeZone, at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The first transition strictly after `instant`, in whole seconds.
    static func transition(_ zone: TimeZone, after instant: Int64) -> Int64? {
        var probe = instant
        while let date = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(probe))) {
            let next = Int64(date.timeIntervalSince1970.rounded())
            if next > instant { return next }
            probe += 1
        }
        return nil
    }
}
