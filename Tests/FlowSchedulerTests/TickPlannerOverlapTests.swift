import FlowCore
import FlowScheduler
import Foundation
import Testing

/// Overlap: an hourly schedule fires at 02:00 while its 01:00 run is still going.
@Suite("Tick planner: overlap and limits")
struct TickPlannerOverlapTests {
    let planner = TickPlanner()
    let now = at("2026-01-01T02:00:00Z")

    func state() -> ScheduleState { ScheduleState(handledThrough: at("2026-01-01T01:00:00Z")) }

    func previous(_ s: Schedule, _ phase: ActiveRun.Phase = .running) -> ActiveRun {
        ActiveRun(
            id: "r1", workflow: s.id.workflow, schedule: s.id, scheduledFor: at("2026-01-01T01:00:00Z"), phase: phase, exclusive: true)
    }

    @Test("skip: the fire time passes without a run and the watermark moves on")
    func skip() {
        let s = schedule("0 * * * *", overlap: .skip)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [previous(s)], now: now)
        #expect(plan.fires.count == 1)
        guard case .skip(let reason) = plan.fires[0].decision else {
            Issue.record("expected skip, got \(plan.fires[0].decision)")
            return
        }
        #expect(reason.contains("r1"))
        #expect(plan.starts.isEmpty && plan.cancels.isEmpty)
        #expect(plan.states[s.id]?.handledThrough == now)
        #expect(plan.states[s.id]?.lastFireTime == nil)
    }

    @Test("skip fires normally once the previous run has finished")
    func skipWithoutPrevious() {
        let s = schedule("0 * * * *", overlap: .skip)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [], now: now)
        #expect(plan.fires.map(\.decision) == [.record(exclusive: true)])
        #expect(plan.starts == [.fire(s.id, now)])
    }

    @Test("queue: a run is recorded and waits for the previous one")
    func queue() {
        let s = schedule("0 * * * *", overlap: .queue)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [previous(s)], now: now)
        #expect(plan.fires.map(\.decision) == [.record(exclusive: true)])
        #expect(plan.starts.isEmpty)
        // …and starts once the previous one is gone.
        let queued = ActiveRun(id: "r2", workflow: "w", schedule: s.id, scheduledFor: now, exclusive: true)
        #expect(planner.admit([previous(s), queued]) == [])
        #expect(planner.admit([queued]) == ["r2"])
    }

    @Test("cancel-previous: the running run is cancelled and the new one starts after it stops")
    func cancelPreviousRunning() {
        let s = schedule("0 * * * *", overlap: .cancelPrevious)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [previous(s)], now: now)
        #expect(plan.cancels == ["r1"])
        #expect(plan.fires.map(\.decision) == [.record(exclusive: true)])
        #expect(plan.starts.isEmpty)
    }

    @Test("cancel-previous: a queued previous run is dropped and the new one starts at once")
    func cancelPreviousQueued() {
        let s = schedule("0 * * * *", overlap: .cancelPrevious)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [previous(s, .queued)], now: now)
        #expect(plan.cancels == ["r1"])
        #expect(plan.starts == [.fire(s.id, now)])
    }

    @Test("allow: the new run starts beside the previous one")
    func allow() {
        let s = schedule("0 * * * *", overlap: .allow)
        let plan = planner.plan(schedules: [s], states: [s.id: state()], active: [previous(s)], now: now)
        #expect(plan.fires.map(\.decision) == [.record(exclusive: false)])
        #expect(plan.starts == [.fire(s.id, now)])
    }

    @Test("overlap looks at the schedule's own runs: another schedule's run does not count")
    func otherScheduleDoesNotOverlap() {
        let s = schedule("0 * * * *", overlap: .skip)
        let other = schedule("30 * * * *", overlap: .skip)
        let plan = planner.plan(
            schedules: [s, other], states: [s.id: state(), other.id: ScheduleState(handledThrough: now)], active: [previous(other)],
            now: now)
        #expect(plan.fires.map(\.decision) == [.record(exclusive: true)])
    }

    @Test("the global limit holds queued runs back, oldest first")
    func globalLimit() {
        let planner = TickPlanner(limits: RunLimits(global: 2, perWorkflow: nil))
        let runs = ["a", "b", "c", "d"].map { ActiveRun(id: RunID($0), workflow: WorkflowName($0)) }
        #expect(planner.admit(runs) == ["a", "b"])
        var running = runs
        running[0].phase = .running
        #expect(planner.admit(running) == ["b"])
        running[1].phase = .running
        #expect(planner.admit(running) == [])
    }

    @Test("the per-workflow limit holds back that workflow only")
    func perWorkflowLimit() {
        let planner = TickPlanner(limits: RunLimits(global: 10, perWorkflow: 1))
        let runs = [
            ActiveRun(id: "a1", workflow: "a", phase: .running), ActiveRun(id: "a2", workflow: "a"),
            ActiveRun(id: "b1", workflow: "b"), ActiveRun(id: "b2", workflow: "b"), ActiveRun(id: "c1", workflow: "c"),
        ]
        #expect(planner.admit(runs) == ["b1", "c1"])
    }

    @Test("a waiting run of a schedule holds back that schedule's later runs")
    func fifoWithinSchedule() {
        let s = schedule("0 * * * *", overlap: .queue)
        let runs = [
            ActiveRun(id: "r1", workflow: "w", schedule: s.id, phase: .running, exclusive: true),
            ActiveRun(id: "r2", workflow: "w", schedule: s.id, exclusive: true),
            ActiveRun(id: "r3", workflow: "w", schedule: s.id, exclusive: false),
        ]
        #expect(planner.admit(runs) == [])
    }

    @Test("fires within the limits start in the same plan; the rest stay queued")
    func firesAndLimits() {
        let planner = TickPlanner(limits: RunLimits(global: 1, perWorkflow: nil))
        let a = schedule("0 * * * *", workflow: "a"), b = schedule("0 * * * *", workflow: "b")
        let plan = planner.plan(schedules: [a, b], states: [a.id: state(), b.id: state()], active: [], now: now)
        #expect(plan.fires.count == 2)
        #expect(plan.starts == [.fire(a.id, now)])
    }

    @Test("a paused schedule fires nothing and wakes nobody; unpausing does not catch up")
    func paused() {
        var s = schedule("0 * * * *", paused: true, catchup: .all)
        let before = planner.plan(schedules: [s], states: [s.id: state()], active: [], now: now)
        #expect(before.fires.isEmpty && before.nextWake == nil && before.nextFires.isEmpty)
        #expect(before.states[s.id] == ScheduleState(handledThrough: at("2026-01-01T01:00:00Z"), paused: true))
        s.paused = false
        let later = at("2026-01-01T05:10:00Z")
        let after = planner.plan(schedules: [s], states: [s.id: before.states[s.id]!], active: [], now: later)
        #expect(after.fires.isEmpty)
        #expect(after.states[s.id] == ScheduleState(handledThrough: later, paused: false))
        #expect(after.nextWake == at("2026-01-01T06:00:00Z"))
    }
}
