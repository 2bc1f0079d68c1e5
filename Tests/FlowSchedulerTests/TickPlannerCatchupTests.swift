import FlowCore
import FlowScheduler
import Foundation
import Testing

/// Catchup after downtime. An hourly schedule (`0 * * * *`, UTC) whose watermark is midnight;
/// the daemon comes back at 05:30, so 01:00, 02:00, 03:00, 04:00 and 05:00 passed while it was
/// down (hand-listed), the latest 30 minutes ago — more than the 60 s misfire grace, so all of
/// them were missed.
@Suite("Tick planner: catchup")
struct TickPlannerCatchupTests {
    let planner = TickPlanner()
    let midnight = at("2026-01-01T00:00:00Z")

    func fires(_ plan: TickPlan) -> [Date] { plan.fires.map(\.scheduledFor) }

    @Test("catchup none fires nothing for missed times and moves the watermark to the latest")
    func none() {
        let s = schedule("0 * * * *", catchup: .none)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:30:00Z"))
        #expect(plan.fires.isEmpty)
        #expect(plan.states[s.id]?.handledThrough == at("2026-01-01T05:00:00Z"))
        #expect(plan.missed.map(\.times) == [[at("2026-01-01T05:00:00Z")]])
        #expect(plan.missed.first?.more == true)
        #expect(plan.nextFires[s.id] == at("2026-01-01T06:00:00Z"))
        #expect(plan.nextWake == at("2026-01-01T06:00:00Z"))
    }

    @Test("catchup latest fires once, for the most recent missed time")
    func latest() {
        let s = schedule("0 * * * *", catchup: .latest)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:30:00Z"))
        #expect(fires(plan) == [at("2026-01-01T05:00:00Z")])
        #expect(plan.fires.first?.decision == .record(exclusive: true))
        #expect(plan.starts == [.fire(s.id, at("2026-01-01T05:00:00Z"))])
        #expect(plan.states[s.id] == ScheduleState(handledThrough: at("2026-01-01T05:00:00Z"), lastFireTime: at("2026-01-01T05:00:00Z")))
    }

    @Test("catchup all fires the latest missed times up to the cap, oldest first")
    func allCapped() {
        let s = schedule("0 * * * *", catchup: .all, limit: 3, overlap: .queue)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:30:00Z"))
        #expect(fires(plan) == [at("2026-01-01T03:00:00Z"), at("2026-01-01T04:00:00Z"), at("2026-01-01T05:00:00Z")])
        #expect(plan.missed.map(\.times) == [[at("2026-01-01T02:00:00Z")]])
        #expect(plan.missed.first?.more == true)  // 01:00 too
        // Overlap queue: one after another, so only the oldest starts now.
        #expect(plan.starts == [.fire(s.id, at("2026-01-01T03:00:00Z"))])
    }

    @Test("catchup all under the cap fires every missed time and reports none missed")
    func allUnderCap() {
        let s = schedule("0 * * * *", catchup: .all, limit: 10, overlap: .allow)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:30:00Z"))
        #expect(fires(plan) == (1...5).map { at("2026-01-01T0\($0):00:00Z") })
        #expect(plan.missed.isEmpty)
        // Overlap allow: side by side, up to the default limit of 4 runs per workflow.
        #expect(plan.starts.count == 4)
    }

    @Test("with overlap skip, catchup all runs one: the later fires find it still queued")
    func allWithSkip() {
        let s = schedule("0 * * * *", catchup: .all, limit: 10, overlap: .skip)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:30:00Z"))
        #expect(plan.fires.map(\.decision).filter { $0 == .record(exclusive: true) }.count == 1)
        #expect(plan.fires.first?.scheduledFor == at("2026-01-01T01:00:00Z"))
        #expect(plan.fires.dropFirst().allSatisfy { if case .skip = $0.decision { true } else { false } })
    }

    @Test(
        "a fire time at most the misfire grace late is on time: catchup none fires it",
        arguments: [
            ("2026-01-01T05:00:00Z", true), ("2026-01-01T05:00:30Z", true), ("2026-01-01T05:01:00Z", true),
            ("2026-01-01T05:01:01Z", false),
        ])
    func onTime(now: String, fires expected: Bool) {
        let s = schedule("0 * * * *", catchup: .none)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: at("2026-01-01T04:00:00Z"))], active: [], now: at(now))
        #expect(fires(plan) == (expected ? [at("2026-01-01T05:00:00Z")] : []))
        #expect(plan.states[s.id]?.handledThrough == at("2026-01-01T05:00:00Z"))
    }

    @Test("an on-time fire comes on top of the capped missed ones with catchup all")
    func onTimePlusCap() {
        let s = schedule("0 * * * *", catchup: .all, limit: 2, overlap: .queue)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [], now: at("2026-01-01T05:00:10Z"))
        #expect(fires(plan) == [at("2026-01-01T03:00:00Z"), at("2026-01-01T04:00:00Z"), at("2026-01-01T05:00:00Z")])
    }

    @Test("a schedule seen for the first time starts now: nothing from the past fires")
    func newSchedule() {
        let s = schedule("0 * * * *", catchup: .all)
        let now = at("2026-01-01T05:30:00Z")
        let plan = planner.plan(schedules: [s], states: [:], active: [], now: now)
        #expect(plan.fires.isEmpty)
        #expect(plan.states[s.id] == ScheduleState(handledThrough: now))
        #expect(plan.nextWake == at("2026-01-01T06:00:00Z"))
    }

    @Test("nothing due and nothing changed: an empty plan that wakes at the next fire time")
    func idle() {
        let s = schedule("*/15 * * * *")
        let state = ScheduleState(handledThrough: at("2026-01-01T05:15:00Z"))
        let plan = planner.plan(schedules: [s], states: [s.id: state], active: [], now: at("2026-01-01T05:20:00Z"))
        #expect(plan.fires.isEmpty && plan.states.isEmpty && plan.starts.isEmpty)
        #expect(plan.nextWake == at("2026-01-01T05:30:00Z"))
    }

    @Test("a week of a seconds schedule missed: catchup all keeps planning bounded to the cap")
    func longDowntimeDenseSchedule() {
        let s = schedule("* * * * * *", catchup: .all, limit: 5, overlap: .allow)
        let plan = planner.plan(
            schedules: [s], states: [s.id: ScheduleState(handledThrough: midnight)], active: [],
            now: at("2026-01-08T00:00:00Z").addingTimeInterval(0.5))
        // Due: every second from 00:00:01 on 1 January to 00:00:00 on 8 January; the latest
        // (half a second late) is on time, plus the 5 before it.
        #expect(fires(plan) == (0...5).reversed().map { at("2026-01-08T00:00:00Z").addingTimeInterval(-Double($0)) })
        #expect(plan.missed.first?.more == true)
    }
}
