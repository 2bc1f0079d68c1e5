public import FlowCore
public import FlowEngine
public import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// The daemon's scheduler: fires schedules at their times, admits queued runs within the
/// limits, executes them as child tasks, and on shutdown stops firing, lets running runs
/// finish within the grace period, then cancels them.
///
/// One loop owns all state (schedules, watermarks, active runs); other tasks talk to it through
/// `update(schedules:)`, `submit`, `cancel` and graceful shutdown, and read `snapshot`. Between
/// events it sleeps on the injected clock until the next fire time — no polling; the sleep is
/// cut to at most `maximumSleep` so that a wall clock that was set (not slewed) is noticed.
/// Wall time for cron comes from `now`, elapsed time from `clock`: tests drive both.
public final class SchedulerService: Service, Sendable {
    /// What the loop owns.
    struct LoopState {
        var schedules: [Schedule] = []
        var states: [ScheduleID: ScheduleState] = [:]
        /// Queued runs in queue order after the running ones' relative order.
        var active: [ActiveRun] = []
        var controls: [RunID: RunControl] = [:]
        var stopping = false
        var nextFires: [ScheduleID: Date] = [:]
        /// A run ended (or the loop started) since `onIdle` was last called.
        var workedSinceIdle = true
    }

    let planner: TickPlanner
    let dispatcher: any RunDispatching
    let stateStore: any ScheduleStateStoring
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    let grace: Duration
    let maximumSleep: Duration
    let idleSleep: Duration
    let onIdle: @Sendable () -> Void
    let logger: Logger
    let inbox = SchedulerInbox()
    private let published = Mutex(SchedulerSnapshot())
    private let started = Mutex(false)

    /// - Parameters:
    ///   - planner: the rules and limits (its jitter seed drawn from the daemon's random source).
    ///   - grace: how long running runs may go on after shutdown begins before they are
    ///     cancelled (twice: running steps, then `always()` steps).
    ///   - maximumSleep: longest sleep between two looks at the wall clock.
    ///   - idleSleep, onIdle: `onIdle` is called on the loop when it is about to sleep for at
    ///     least `idleSleep` with no run going, once after start and once after each time runs
    ///     ended (the daemon gives back memory then: `CodePages`). It must return quickly.
    public init(
        planner: TickPlanner, dispatcher: any RunDispatching, stateStore: any ScheduleStateStoring,
        clock: any Clock<Duration>, now: @escaping @Sendable () -> Date, grace: Duration = .seconds(30),
        maximumSleep: Duration = .seconds(300), idleSleep: Duration = .seconds(60), onIdle: @escaping @Sendable () -> Void = {},
        logger: Logger
    ) {
        self.planner = planner
        self.dispatcher = dispatcher
        self.stateStore = stateStore
        self.clock = clock
        self.now = now
        self.grace = grace
        self.maximumSleep = maximumSleep
        self.idleSleep = idleSleep
        self.onIdle = onIdle
        self.logger = logger
    }

    // MARK: Talking to the loop

    /// Replaces the set of schedules (every schedule of every loaded workflow), and forgets the
    /// watermarks of `forgetting` — schedules removed from workflows that still load, or whose
    /// files are gone — so that one added again later starts afresh instead of catching up.
    /// Schedules of a file whose latest edit does not load stay in the set (its previous version
    /// keeps running) and keep their watermarks.
    public func update(schedules: [Schedule], forgetting: Set<ScheduleID> = []) {
        inbox.post(.schedules(schedules, forgetting: forgetting))
    }

    /// Hands over a run recorded as `queued` elsewhere (the API); it starts when the limits
    /// allow. `control` is how it is cancelled.
    public func submit(_ run: ActiveRun, control: RunControl) {
        inbox.post(.submitted(run, control))
    }

    /// Cancels an active run: a running one through its `RunControl` (each request raises the
    /// level), a queued one by recording it cancelled.
    public func cancel(_ run: RunID, reason: String) async -> CancelOutcome {
        await withCheckedContinuation { reply in
            inbox.post(.cancel(run, reason: reason, reply: reply))
        }
    }

    /// Begins shutdown, as SIGTERM does through the service group.
    public func shutdown() {
        inbox.post(.shutdown)
    }

    /// Ends the grace period now, as a second SIGTERM or SIGINT does: begins shutdown if it has
    /// not begun, then cancels the running runs (both levels: `always()` steps stop too), each
    /// recorded `cancelled` with `reason`.
    public func stopNow(reason: String) {
        inbox.post(.shutdown)
        inbox.post(.graceExpired(reason: reason))
    }

    /// The state after the latest planning step.
    public var snapshot: SchedulerSnapshot { published.withLock { $0 } }

    // MARK: The loop

    /// Runs until shutdown has finished: every run started here has ended and is recorded.
    /// - Throws: when the watermarks cannot be loaded (nothing has fired then).
    public func run() async throws {
        precondition(
            started.withLock { s in
                defer { s = true }
                return !s
            }, "SchedulerService.run called twice")
        var loop = LoopState()
        loop.states = try await stateStore.loadStates()
        logger.info("scheduler started", metadata: ["schedule_states": "\(loop.states.count)"])
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                await self.runLoop(&loop, group: &group)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.inbox.post(.shutdown)
        }
        inbox.close()
        logger.info("scheduler stopped")
    }

    private func runLoop(_ loop: inout LoopState, group: inout TaskGroup<Void>) async {
        while true {
            for event in inbox.drain() {
                await handle(event, &loop, group: &group)
            }
            if Task.isCancelled && !loop.stopping {
                await beginShutdown(&loop, group: &group, cancelNow: true)
            }
            if loop.stopping {
                publish(loop)
                if !loop.active.contains(where: { $0.phase == .running }) { return }
                await inbox.wait(for: nil, on: clock)
                continue
            }
            let wake = await tick(&loop, group: &group)
            publish(loop)
            var delay: Duration?
            if let wake {
                let seconds = max(0, wake.timeIntervalSince(now()))
                delay = min(.milliseconds(Int64((seconds * 1000).rounded(.up))), maximumSleep)
            } else {
                delay = maximumSleep
            }
            if loop.workedSinceIdle, let delay, delay >= idleSleep, !loop.active.contains(where: { $0.phase == .running }) {
                loop.workedSinceIdle = false
                onIdle()
            }
            await inbox.wait(for: delay, on: clock)
        }
    }

    private func handle(_ event: SchedulerInbox.Event, _ loop: inout LoopState, group: inout TaskGroup<Void>) async {
        switch event {
        case .schedules(let schedules, let forgetting):
            loop.schedules = schedules
            let present = Set(schedules.map(\.id))
            let gone = forgetting.subtracting(present)
            if !gone.isEmpty {
                for id in gone { loop.states[id] = nil }
                do {
                    try await stateStore.removeStates(gone)
                    logger.info(
                        "forgot removed schedules", metadata: ["schedules": "\(gone.sorted().map(\.description).joined(separator: ", "))"])
                } catch {
                    logger.error("cannot remove schedule watermarks: \(error)")
                }
            }
        case .submitted(let run, let control):
            if loop.stopping {
                await dispatcher.recordAbandoned(run.id, reason: "the daemon was stopping when the run was submitted")
            } else {
                var run = run
                run.phase = .queued
                loop.active.append(run)
                loop.controls[run.id] = control
            }
        case .finished(let id, let status):
            loop.active.removeAll { $0.id == id }
            loop.controls[id] = nil
            loop.workedSinceIdle = true
            logger.info("run finished", metadata: ["run": "\(id)", "status": "\(status.rawValue)"])
        case .cancel(let id, let reason, let reply):
            reply.resume(returning: await cancel(id, reason: reason, &loop))
        case .shutdown:
            if !loop.stopping { await beginShutdown(&loop, group: &group, cancelNow: false) }
        case .graceExpired(let reason):
            let running = loop.active.filter { $0.phase == .running }
            if !running.isEmpty {
                logger.warning(
                    "grace period over; cancelling runs still going",
                    metadata: ["reason": "\(reason)", "runs": "\(running.map(\.id.rawValue).joined(separator: ","))"])
            }
            for run in running {
                loop.controls[run.id]?.cancel(reason: reason)
                loop.controls[run.id]?.cancel(reason: reason)
            }
        }
    }

    private func cancel(_ id: RunID, reason: String, _ loop: inout LoopState) async -> CancelOutcome {
        guard let index = loop.active.firstIndex(where: { $0.id == id }) else { return .notActive }
        if loop.active[index].phase == .queued {
            loop.active.remove(at: index)
            loop.controls[id] = nil
            await dispatcher.recordCancelled(id, reason: reason)
            return .cancelled
        }
        loop.active[index].cancelling = true
        loop.controls[id]?.cancel(reason: reason)
        return .cancelling
    }

    private func beginShutdown(_ loop: inout LoopState, group: inout TaskGroup<Void>, cancelNow: Bool) async {
        loop.stopping = true
        let queued = loop.active.filter { $0.phase == .queued }
        for run in queued {
            await dispatcher.recordAbandoned(run.id, reason: "the daemon stopped before the run started")
            loop.controls[run.id] = nil
        }
        loop.active.removeAll { $0.phase == .queued }
        let running = loop.active.count
        logger.info(
            "stopping: no more fires",
            metadata: ["running": "\(running)", "abandoned_queued": "\(queued.count)", "grace": "\(DurationText.format(grace))"])
        if cancelNow {
            for control in loop.controls.values {
                control.cancel(reason: "the daemon was cancelled")
                control.cancel(reason: "the daemon was cancelled")
            }
        } else if running > 0 {
            let clock = clock, grace = grace, inbox = inbox
            group.addTask {
                do {
                    try await clock.sleep(for: grace)
                    inbox.post(.graceExpired(reason: "the daemon stopped and its grace period of \(DurationText.format(grace)) ended"))
                } catch {}
            }
        }
    }

    /// Plans, records the fires, cancels, starts what may start; returns when to plan again.
    private func tick(_ loop: inout LoopState, group: inout TaskGroup<Void>) async -> Date? {
        let at = now()
        let plan = planner.planFires(schedules: loop.schedules, states: loop.states, active: loop.active, now: at)
        for missed in plan.missed {
            logger.notice(
                "catchup passes over missed fire times",
                metadata: [
                    "schedule": "\(missed.schedule)", "count": "\(missed.times.count)\(missed.more ? "+" : "")",
                    "latest": "\(missed.times.last.map(Self.format) ?? "-")",
                ])
        }
        for id in plan.cancels {
            let fire = plan.fires.first { $0.schedule == loop.active.first { $0.id == id }?.schedule }
            let reason =
                "cancelled by the next fire of its schedule (\(fire.map { Self.format($0.scheduledFor) } ?? "?"), overlap: cancel-previous)"
            _ = await cancel(id, reason: reason, &loop)
        }
        var failed: Set<ScheduleID> = []
        for fire in plan.fires where !failed.contains(fire.schedule) {
            let meta: Logger.Metadata = ["schedule": "\(fire.schedule)", "scheduled_for": "\(Self.format(fire.scheduledFor))"]
            switch fire.decision {
            case .skip(let reason):
                logger.info("fire skipped (overlap: skip): \(reason)", metadata: meta)
            case .record(let exclusive):
                do {
                    let id = try await dispatcher.record(fire.schedule, scheduledFor: fire.scheduledFor)
                    loop.active.append(
                        ActiveRun(
                            id: id, workflow: fire.schedule.workflow, schedule: fire.schedule, scheduledFor: fire.scheduledFor,
                            exclusive: exclusive))
                    loop.controls[id] = RunControl()
                    logger.info("fired", metadata: meta.merging(["run": "\(id)"]) { $1 })
                } catch {
                    switch error.code {
                    case .conflict:
                        logger.warning("fire time already has a run; skipped: \(error.message)", metadata: meta)
                    case .invalid:
                        logger.error("cannot start a run for this fire time: \(error.message)", metadata: meta)
                    default:
                        logger.error("cannot record a run for this fire time; will try again: \(error.message)", metadata: meta)
                        failed.insert(fire.schedule)
                    }
                }
            }
        }
        var changed: [ScheduleID: ScheduleState] = [:]
        for (id, state) in plan.states where !failed.contains(id) {
            loop.states[id] = state
            changed[id] = state
        }
        if !changed.isEmpty {
            do {
                try await stateStore.saveStates(changed)
            } catch {
                logger.error("cannot save schedule watermarks: \(error)")
            }
        }
        loop.nextFires = plan.nextFires
        for id in planner.admit(loop.active) {
            guard let index = loop.active.firstIndex(where: { $0.id == id }), let control = loop.controls[id] else { continue }
            loop.active[index].phase = .running
            let run = loop.active[index]
            let dispatcher = dispatcher, inbox = inbox
            group.addTask {
                let status = await dispatcher.execute(run, control: control)
                inbox.post(.finished(run.id, status))
            }
        }
        guard !failed.isEmpty else { return plan.nextWake }
        let retry = at.addingTimeInterval(5)
        return min(plan.nextWake ?? retry, retry)
    }

    private func publish(_ loop: LoopState) {
        let snapshot = SchedulerSnapshot(
            nextFires: loop.nextFires, schedules: Dictionary(loop.schedules.map { ($0.id, $0) }) { a, _ in a },
            active: loop.active, stopping: loop.stopping)
        published.withLock { $0 = snapshot }
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
