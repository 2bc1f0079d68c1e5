public import FlowCore
public import Foundation

/// Decides, for one moment, which fire times are due, what each becomes, which queued runs
/// start, and when to look again. Pure: the present (`now`), the persisted watermarks and the
/// active runs are all passed in; nothing is read or slept.
///
/// The rules (docs/scheduling.md, "Daemon"):
/// - A fire time `t` is due once `now ≥ t + jitter(t)`. Fire times at or before a schedule's
///   watermark (`ScheduleState.handledThrough`) were handled before and are never looked at
///   again; a schedule seen for the first time starts at `now` (no backfill).
/// - The latest due time is *on time* when `now` is at most `misfireGrace` past its jittered
///   instant; every other due time was *missed* (the daemon was down or stalled). `catchup`:
///   `none` fires only an on-time one; `latest` fires the latest due time, on time or not;
///   `all` fires the on-time one and the latest `catchupLimit` missed ones. The rest are
///   reported in `TickPlan.missed`. The watermark moves to the latest due time either way.
/// - Overlap, against the schedule's own runs still going (queued or running; Kubernetes
///   CronJob's `concurrencyPolicy` has the same scope): `skip` lets the time pass; `queue`
///   records a run that starts after them; `cancel-previous` cancels them and records a run
///   that starts once they have stopped; `allow` records a run that may run beside them.
/// - Paused schedules fire nothing. On unpausing, the watermark jumps to `now`: fire times that
///   passed while paused are not caught up.
/// - Queued runs start oldest first while fewer than `limits.global` runs execute and fewer
///   than `limits.perWorkflow` of their workflow do; an exclusive run waits while its schedule
///   has a run executing; a run that waits holds back the later runs of its schedule.
public struct TickPlanner: Sendable {
    public var limits: RunLimits
    public var jitter: Jitter
    /// How late the latest due fire time may be and still count as on time, not missed.
    public var misfireGrace: Duration

    public init(limits: RunLimits = RunLimits(), jitter: Jitter = Jitter(seed: 0), misfireGrace: Duration = .seconds(60)) {
        self.limits = limits
        self.jitter = jitter
        self.misfireGrace = misfireGrace
    }

    /// The whole decision: due fires, cancellations, and which queued runs — recorded before,
    /// or recorded by this plan's fires — start now.
    /// - Parameters:
    ///   - schedules: every schedule of every loaded workflow (any order).
    ///   - states: persisted watermarks by schedule; missing ones are new schedules.
    ///   - active: runs recorded and not finished, queued ones in queue order (oldest first).
    ///   - now: the wall-clock present.
    public func plan(schedules: [Schedule], states: [ScheduleID: ScheduleState], active: [ActiveRun], now: Date) -> TickPlan {
        var plan = planFires(schedules: schedules, states: states, active: active, now: now)
        var pending = active.filter { !($0.phase == .queued && plan.cancels.contains($0.id)) }
        var virtual: [RunID: TickPlan.Start] = [:]
        for fire in plan.fires {
            guard case .record(let exclusive) = fire.decision else { continue }
            let id = RunID("fire \(fire.schedule) \(fire.scheduledFor.timeIntervalSince1970)")
            virtual[id] = .fire(fire.schedule, fire.scheduledFor)
            pending.append(
                ActiveRun(
                    id: id, workflow: fire.schedule.workflow, schedule: fire.schedule, scheduledFor: fire.scheduledFor, exclusive: exclusive
                ))
        }
        plan.starts = admit(pending).map { virtual[$0] ?? .run($0) }
        return plan
    }

    /// Due fires, cancellations, missed times, new watermarks and the next wake-up; no starts.
    public func planFires(schedules: [Schedule], states: [ScheduleID: ScheduleState], active: [ActiveRun], now: Date) -> TickPlan {
        var plan = TickPlan()
        var active = active
        for schedule in schedules.sorted(by: { $0.id < $1.id }) {
            let id = schedule.id
            let stored = states[id]
            var state = stored ?? ScheduleState(handledThrough: now, paused: schedule.paused)
            if state.paused && !schedule.paused {
                state.paused = false
                state.handledThrough = max(state.handledThrough, now)
            }
            if schedule.paused {
                state.paused = true
                if state != stored { plan.states[id] = state }
                continue
            }
            let due = dueFireTimes(schedule, after: state.handledThrough, now: now)
            if let latest = due.times.last {
                let fired = chooseFires(schedule, due: due.times, now: now)
                let passed = due.times.filter { !fired.contains($0) }
                if !passed.isEmpty || due.earlier {
                    plan.missed.append(TickPlan.Missed(schedule: id, times: passed, more: due.earlier))
                }
                for time in fired {
                    let decision = decide(schedule, active: &active, cancels: &plan.cancels, time: time)
                    plan.fires.append(TickPlan.Fire(schedule: id, scheduledFor: time, decision: decision))
                    if case .record = decision { state.lastFireTime = time }
                }
                state.handledThrough = latest
            }
            if state != stored { plan.states[id] = state }
            if let next = schedule.cron.next(after: state.handledThrough, in: schedule.timeZone) {
                plan.nextFires[id] = next
                let wake = next + delay(schedule, next).timeInterval
                plan.nextWake = plan.nextWake.map { min($0, wake) } ?? wake
            }
        }
        return plan
    }

    /// The queued runs of `active` (in order) that may start now.
    public func admit(_ active: [ActiveRun]) -> [RunID] {
        var running = 0
        var byWorkflow: [WorkflowName: Int] = [:]
        var busySchedules: Set<ScheduleID> = []
        for run in active where run.phase == .running {
            running += 1
            byWorkflow[run.workflow, default: 0] += 1
            if let schedule = run.schedule { busySchedules.insert(schedule) }
        }
        var heldSchedules: Set<ScheduleID> = []
        var starts: [RunID] = []
        for run in active where run.phase == .queued && !run.cancelling {
            guard running < limits.global else { break }
            let workflowFull = limits.perWorkflow.map { byWorkflow[run.workflow, default: 0] >= $0 } ?? false
            if let schedule = run.schedule {
                if heldSchedules.contains(schedule) || workflowFull || (run.exclusive && busySchedules.contains(schedule)) {
                    heldSchedules.insert(schedule)
                    continue
                }
            } else if workflowFull {
                continue
            }
            starts.append(run.id)
            running += 1
            byWorkflow[run.workflow, default: 0] += 1
            if let schedule = run.schedule { busySchedules.insert(schedule) }
        }
        return starts
    }

    // MARK: Parts

    func delay(_ schedule: Schedule, _ time: Date) -> Duration {
        jitter.delay(for: schedule.id, fireTime: Int64(time.timeIntervalSince1970.rounded(.down)), maximum: schedule.jitter)
    }

    /// The due fire times after `watermark` that the catchup policy may need (the latest
    /// `catchupLimit + 1` at most), ascending, and whether older due ones exist.
    func dueFireTimes(_ schedule: Schedule, after watermark: Date, now: Date) -> (times: [Date], earlier: Bool) {
        guard now > watermark else { return ([], false) }
        let wanted = schedule.catchup == .all ? schedule.catchupLimit + 1 : 1
        var notYet = 0
        if let maximum = schedule.jitter, maximum > .zero {
            // Times within the last `jitter` may still wait for their delay.
            notYet = schedule.fireTimes(after: max(watermark, now - maximum.timeInterval), through: now, limit: .max).count
        }
        let recent = schedule.recentFireTimes(after: watermark, through: now, count: wanted + notYet)
        // Once a later time is due, an earlier one still waiting for its delay is overdue.
        guard let lastDue = recent.times.lastIndex(where: { $0 + delay(schedule, $0).timeInterval <= now }) else {
            return ([], false)
        }
        let due = recent.times[...lastDue]
        return (Array(due.suffix(wanted)), recent.earlier || due.count > wanted)
    }

    /// Which of `due` (ascending, non-empty) fire, by the catchup policy.
    func chooseFires(_ schedule: Schedule, due: [Date], now: Date) -> [Date] {
        let latest = due[due.count - 1]
        let lateness = now.timeIntervalSince(latest + delay(schedule, latest).timeInterval)
        let onTime = lateness <= misfireGrace.timeInterval
        switch schedule.catchup {
        case .none: return onTime ? [latest] : []
        case .latest: return [latest]
        case .all: return Array(due.suffix(schedule.catchupLimit + (onTime ? 1 : 0)))
        }
    }

    /// The overlap decision for one fire of `schedule`, updating the runs still going.
    func decide(_ schedule: Schedule, active: inout [ActiveRun], cancels: inout [RunID], time: Date) -> TickPlan.Decision {
        let previous = active.filter { $0.schedule == schedule.id && !$0.cancelling }
        let exclusive: Bool
        switch schedule.overlap {
        case .skip:
            if let last = previous.last {
                return .skip(reason: "run \(last.id) of this schedule is still \(last.phase.rawValue)")
            }
            exclusive = true
        case .queue:
            exclusive = true
        case .cancelPrevious:
            for run in previous {
                cancels.append(run.id)
                if let i = active.firstIndex(where: { $0.id == run.id }) {
                    if active[i].phase == .queued { active.remove(at: i) } else { active[i].cancelling = true }
                }
            }
            exclusive = true
        case .allow:
            exclusive = false
        }
        active.append(
            ActiveRun(
                id: RunID("fire \(schedule.id) \(time.timeIntervalSince1970)"), workflow: schedule.id.workflow,
                schedule: schedule.id, scheduledFor: time, exclusive: exclusive))
        return .record(exclusive: exclusive)
    }
}

extension Duration {
    /// In seconds, as `Date` arithmetic wants.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
