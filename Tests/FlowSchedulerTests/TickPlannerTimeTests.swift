import FlowCore
import FlowScheduler
import Foundation
import Testing

/// Daylight saving and jitter. DST dates from the US rule (second Sunday of March, first Sunday
/// of November; 15 U.S.C. 260a): in 2026, 8 March and 1 November. New York is UTC−5 (EST) and
/// UTC−4 (EDT).
@Suite("Tick planner: daylight saving and jitter")
struct TickPlannerTimeTests {
    let planner = TickPlanner()

    @Test("spring forward: 02:30 does not exist on 8 March; the fixed-time job fires once at the jump")
    func springForward() {
        let s = schedule("30 2 * * *", zone: "America/New_York")
        // 7 March 02:30 EST = 07:30Z; the jump is at 02:00 EST = 07:00Z on 8 March.
        let state = ScheduleState(handledThrough: at("2026-03-07T07:30:00Z"))
        let early = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-03-08T06:59:59Z"))
        #expect(early.fires.isEmpty)
        #expect(early.nextWake == at("2026-03-08T07:00:00Z"))
        let plan = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-03-08T07:00:00Z"))
        #expect(plan.fires.map(\.scheduledFor) == [at("2026-03-08T07:00:00Z")])
        // Next: 9 March 02:30 EDT = 06:30Z.
        #expect(plan.nextWake == at("2026-03-09T06:30:00Z"))
    }

    @Test("fall back: 01:30 happens twice on 1 November; the fixed-time job fires at the first only")
    func fallBackFixed() {
        let s = schedule("30 1 * * *", zone: "America/New_York")
        // First 01:30 is EDT = 05:30Z; the repeat, EST, is 06:30Z.
        let state = ScheduleState(handledThrough: at("2026-11-01T05:00:00Z"))
        let plan = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-11-01T05:30:00Z"))
        #expect(plan.fires.map(\.scheduledFor) == [at("2026-11-01T05:30:00Z")])
        let again = planner.plan(schedules: [s], states: [s.id: plan.states[s.id]!], active: [], now: at("2026-11-01T06:30:00Z"))
        #expect(again.fires.isEmpty)
        // Next: 2 November 01:30 EST = 06:30Z.
        #expect(again.nextWake == at("2026-11-02T06:30:00Z"))
    }

    @Test("fall back: a job with a step in the minute runs by wall clock, in both passes of the hour")
    func fallBackWildcard() {
        let s = schedule("*/30 1 * * *", zone: "America/New_York", catchup: .all, overlap: .allow)
        let state = ScheduleState(handledThrough: at("2026-11-01T04:00:00Z"))
        let plan = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-11-01T06:30:10Z"))
        // 01:00 and 01:30 EDT (05:00Z, 05:30Z), then 01:00 and 01:30 EST (06:00Z, 06:30Z).
        #expect(
            plan.fires.map(\.scheduledFor)
                == [at("2026-11-01T05:00:00Z"), at("2026-11-01T05:30:00Z"), at("2026-11-01T06:00:00Z"), at("2026-11-01T06:30:00Z")])
    }

    @Test("spring forward in Lord Howe (30-minute shift): 02:15 is skipped and fires at the jump")
    func lordHowe() {
        // Australia/Lord_Howe goes from UTC+10:30 to UTC+11 at 02:00 local on the first Sunday of
        // October: 4 October 2026, 02:00 +10:30 = 3 October 15:30Z.
        let s = schedule("15 2 * * *", zone: "Australia/Lord_Howe")
        let state = ScheduleState(handledThrough: at("2026-10-03T12:00:00Z"))
        let plan = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-10-03T15:30:00Z"))
        #expect(plan.fires.map(\.scheduledFor) == [at("2026-10-03T15:30:00Z")])
    }

    @Test("jitter delays each fire by less than the maximum, and never fires early", arguments: 1...20)
    func jitterBounds(seed: UInt64) {
        let planner = TickPlanner(jitter: Jitter(seed: seed))
        let s = schedule("0 * * * *", jitter: .seconds(10))
        let fireTime = at("2026-01-01T02:00:00Z")
        let state = ScheduleState(handledThrough: at("2026-01-01T01:00:00Z"))
        let idle = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-01-01T01:30:00Z"))
        guard let wake = idle.nextWake else {
            Issue.record("no wake-up")
            return
        }
        #expect(wake >= fireTime && wake < fireTime.addingTimeInterval(10))
        #expect(idle.nextFires[s.id] == fireTime)
        let before = planner.plan(schedules: [s], states: [s.id: state], active: [], now: wake.addingTimeInterval(-0.001))
        #expect(before.fires.isEmpty)
        #expect(before.nextWake == wake)  // re-planning does not draw again
        let due = planner.plan(schedules: [s], states: [s.id: state], active: [], now: wake)
        #expect(due.fires.map(\.scheduledFor) == [fireTime])  // recorded for the fire time, not the delayed one
    }

    @Test("jitter delays differ between seeds and fire times")
    func jitterVaries() {
        let s = schedule("0 * * * *", jitter: .seconds(3600))
        let delays = Set(
            (0..<50).map { seed in
                Jitter(seed: UInt64(seed)).delay(for: s.id, fireTime: 1_767_229_200, maximum: .seconds(3600))
            })
        #expect(delays.count > 40)
        #expect(delays.allSatisfy { $0 >= .zero && $0 < .seconds(3600) })
        #expect(Jitter(seed: 7).delay(for: s.id, fireTime: 0, maximum: nil) == .zero)
    }
}
