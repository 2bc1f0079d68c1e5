import FlowCore
import FlowEngine
import FlowScheduler
import FlowTesting
import Foundation
import Logging
import Synchronization
import Testing

/// The scheduler loop on a manual clock: wall time is `base + clock offset`, so advancing the
/// clock moves both. Tests wait on the fake dispatcher's calls and the scheduler's log
/// messages, never on time.
@Suite("Scheduler service")
struct SchedulerServiceTests {
    final class Harness: Sendable {
        let clock = ManualClock()
        let base: Date
        let dispatcher = FakeDispatcher()
        let store: FakeStateStore
        let service: SchedulerService
        let logs: AsyncStream<String>

        /// When the service called `onIdle`, as offsets from `base`.
        let idleCalls: AsyncStream<Duration>
        let idleSink: AsyncStream<Duration>.Continuation

        init(base: Date, store: FakeStateStore = FakeStateStore(), grace: Duration = .seconds(30), limits: RunLimits = RunLimits()) {
            self.base = base
            self.store = store
            let clock = clock
            let (logger, logs) = StreamLogHandler.make()
            self.logs = logs
            let (idleCalls, idleSink) = AsyncStream<Duration>.makeStream()
            self.idleCalls = idleCalls
            self.idleSink = idleSink
            service = SchedulerService(
                planner: TickPlanner(limits: limits), dispatcher: dispatcher, stateStore: store, clock: clock,
                now: { base + clock.now.offset.seconds }, grace: grace, onIdle: { idleSink.yield(clock.now.offset) }, logger: logger)
        }

        func advance(_ duration: Duration) async {
            await clock.waitForSleepers(1)
            clock.advance(by: duration)
        }

        /// Waits for the next dispatcher call matching `predicate`.
        func next(_ predicate: (FakeDispatcher.Call) -> Bool) async -> FakeDispatcher.Call? {
            for await call in dispatcher.events where predicate(call) { return call }
            return nil
        }

        /// The offset of the next `onIdle` call.
        func nextIdle() async -> Duration? {
            for await offset in idleCalls { return offset }
            return nil
        }

        /// The `onIdle` calls not taken yet by `nextIdle` (call after the service has ended).
        func remainingIdleCalls() async -> [Duration] {
            idleSink.finish()
            var left: [Duration] = []
            for await offset in idleCalls { left.append(offset) }
            return left
        }

        func log(containing text: String) async {
            for await message in logs where message.contains(text) { return }
        }
    }

    @Test("sleeps until the fire time, then records and starts the run")
    func firesOnTime() async throws {
        let h = Harness(base: at("2026-01-01T00:30:00Z"))
        let s = schedule("0 * * * *")
        h.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.clock.waitForSleepers(1)
            #expect(h.dispatcher.calls.isEmpty)
            #expect(h.service.snapshot.nextFires[s.id] == at("2026-01-01T01:00:00Z"))
            // The sleep is cut at 5 minutes: the scheduler looks again at 00:35 and sleeps on.
            await h.advance(.seconds(300))
            await h.advance(.seconds(1499))
            await h.clock.waitForSleepers(1)
            #expect(h.dispatcher.calls.isEmpty)
            await h.advance(.seconds(1))
            let recorded = await h.next { if case .recorded = $0 { true } else { false } }
            #expect(recorded == .recorded(s.id, at("2026-01-01T01:00:00Z"), "run1"))
            #expect(await h.next { $0 == .started("run1") } != nil)
            #expect(h.store.current[s.id]?.handledThrough == at("2026-01-01T01:00:00Z"))
            h.dispatcher.finish("run1", .succeeded)
            #expect(await h.next { $0 == .finished("run1", .succeeded) } != nil)
            h.service.shutdown()
            try await group.next()
        }
    }

    @Test("a restart neither fires a handled time again nor passes over a missed one")
    func restart() async throws {
        let store = FakeStateStore()
        let s = schedule("0 * * * *", catchup: .latest)
        // First life: starts at 00:30, fires 01:00, stops at 01:10.
        let first = Harness(base: at("2026-01-01T00:30:00Z"), store: store)
        first.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.service.run() }
            await first.advance(.seconds(300))
            await first.advance(.seconds(1500))
            #expect(await first.next { $0 == .started("run1") } != nil)
            first.dispatcher.finish("run1", .succeeded)
            #expect(await first.next { $0 == .finished("run1", .succeeded) } != nil)
            first.service.shutdown()
            try await group.next()
        }
        #expect(store.current[s.id]?.handledThrough == at("2026-01-01T01:00:00Z"))
        // Second life, at 03:30: 02:00 and 03:00 were missed; catchup latest runs 03:00 once.
        let second = Harness(base: at("2026-01-01T03:30:00Z"), store: store)
        second.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await second.service.run() }
            let recorded = await second.next { if case .recorded = $0 { true } else { false } }
            #expect(recorded == .recorded(s.id, at("2026-01-01T03:00:00Z"), "run1"))
            second.dispatcher.finish("run1", .succeeded)
            #expect(await second.next { $0 == .finished("run1", .succeeded) } != nil)
            await second.clock.waitForSleepers(1)
            #expect(second.service.snapshot.nextFires[s.id] == at("2026-01-01T04:00:00Z"))
            second.service.shutdown()
            try await group.next()
        }
        #expect(store.current[s.id]?.handledThrough == at("2026-01-01T03:00:00Z"))
    }

    @Test("shutdown stops firing, abandons queued runs, and lets running ones finish within the grace period")
    func gracefulShutdown() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"), limits: RunLimits(global: 1, perWorkflow: nil))
        let a = schedule("0 * * * *", workflow: "a"), b = schedule("0 * * * *", workflow: "b")
        h.service.update(schedules: [a, b])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            #expect(await h.next { $0 == .started("run1") } != nil)
            await h.clock.waitForSleepers(1)
            #expect(h.service.snapshot.queued == 1)
            h.service.shutdown()
            #expect(await h.next { $0 == .abandoned("run2") } != nil)
            await h.log(containing: "stopping")
            // Within the grace period the run finishes by itself.
            await h.advance(.seconds(29))
            h.dispatcher.finish("run1", .succeeded)
            try await group.next()
            #expect(h.dispatcher.cancelLevel("run1") == 0)
        }
        #expect(!h.dispatcher.calls.contains(.started("run2")))
    }

    @Test("after the grace period running runs are cancelled twice (steps, then cleanup steps)")
    func graceExpires() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"), grace: .seconds(30))
        let s = schedule("0 * * * *")
        h.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            #expect(await h.next { $0 == .started("run1") } != nil)
            h.service.shutdown()
            await h.log(containing: "stopping")
            await h.advance(.seconds(30))
            await h.log(containing: "grace period over")
            #expect(h.dispatcher.cancelLevel("run1") == 2)
            h.dispatcher.finish("run1", .cancelled)
            try await group.next()
        }
    }

    @Test("onIdle: once after start and once after runs end, when the next sleep is a minute or more with no run going")
    func idle() async throws {
        let h = Harness(base: at("2026-01-01T00:30:00Z"))
        // Hourly at :00, and every 10 seconds of 01:00:00–01:00:59 (6 fields, seconds first).
        let hourly = schedule("0 * * * *"), burst = schedule("*/10 0 1 * * *", workflow: "burst")
        h.service.update(schedules: [hourly, burst])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            // 00:30:00: the next fire is 30 minutes away and nothing runs.
            #expect(await h.nextIdle() == .zero)
            // 00:35 … 00:55 the loop looks at the clock again (sleeps of at most 5 minutes);
            // at 01:00:00 both schedules fire.
            for _ in 0..<6 { await h.advance(.seconds(300)) }
            #expect(await h.next { $0 == .started("run2") } != nil)
            h.dispatcher.finish("run1", .succeeded)
            h.dispatcher.finish("run2", .succeeded)
            // 01:00:10 … 01:00:50: a burst run each; between them the next fire is 10 s away.
            for second in stride(from: 10, through: 50, by: 10) {
                await h.advance(.seconds(10))
                let id = RunID(rawValue: "run\(second / 10 + 2)")
                #expect(await h.next { $0 == .started(id) } != nil)
                h.dispatcher.finish(id, .succeeded)
                #expect(await h.next { $0 == .finished(id, .succeeded) } != nil)
            }
            // After the run of 01:00:50 the next fire is 02:00:00.
            #expect(await h.nextIdle() == .seconds(30 * 60 + 50))
            h.service.shutdown()
            try await group.next()
        }
        #expect(await h.remainingIdleCalls() == [])
    }

    @Test("stopNow during the grace period cancels running runs at once, twice, with its reason")
    func stopNowEndsTheGracePeriod() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"), grace: .seconds(30))
        let s = schedule("0 * * * *")
        h.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            #expect(await h.next { $0 == .started("run1") } != nil)
            h.service.shutdown()
            await h.log(containing: "stopping")
            #expect(h.dispatcher.cancelLevel("run1") == 0)
            // No time passes: the grace period of 30 s is cut short.
            h.service.stopNow(reason: "second SIGTERM")
            await h.log(containing: "grace period over")
            #expect(h.dispatcher.cancelLevel("run1") == 2)
            #expect(h.dispatcher.cancelReason("run1") == "second SIGTERM")
            h.dispatcher.finish("run1", .cancelled)
            try await group.next()
        }
    }

    @Test("stopNow before shutdown stops firing and cancels running runs at once")
    func stopNowWithoutShutdown() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"), grace: .seconds(30))
        let s = schedule("0 * * * *")
        h.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            #expect(await h.next { $0 == .started("run1") } != nil)
            h.service.stopNow(reason: "stop now")
            await h.log(containing: "stopping")
            await h.log(containing: "grace period over")
            #expect(h.dispatcher.cancelLevel("run1") == 2)
            h.dispatcher.finish("run1", .cancelled)
            try await group.next()
        }
    }

    @Test("cancel: a queued run is recorded cancelled, a running one is cancelled through its control")
    func cancel() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"), limits: RunLimits(global: 1, perWorkflow: nil))
        let a = schedule("0 * * * *", workflow: "a"), b = schedule("0 * * * *", workflow: "b")
        h.service.update(schedules: [a, b])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            #expect(await h.next { $0 == .started("run1") } != nil)
            #expect(await h.service.cancel("run2", reason: "test") == .cancelled)
            #expect(await h.service.cancel("run1", reason: "test") == .cancelling)
            #expect(h.dispatcher.cancelLevel("run1") == 1)
            #expect(await h.service.cancel("nope", reason: "test") == .notActive)
            h.dispatcher.finish("run1", .cancelled)
            #expect(await h.next { $0 == .finished("run1", .cancelled) } != nil)
            h.service.shutdown()
            try await group.next()
        }
        #expect(h.dispatcher.calls.contains(.cancelled("run2")))
        #expect(!h.dispatcher.calls.contains(.started("run2")))
    }

    @Test("a fire time that already has a run (unique index) is logged and passed over")
    func conflict() async throws {
        let h = Harness(base: at("2026-01-01T00:59:59Z"))
        let s = schedule("0 * * * *")
        _ = try await h.dispatcher.record(s.id, scheduledFor: at("2026-01-01T01:00:00Z"))  // as another daemon would
        h.service.update(schedules: [s])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            await h.advance(.seconds(1))
            await h.log(containing: "already has a run")
            await h.clock.waitForSleepers(1)
            #expect(h.store.current[s.id]?.handledThrough == at("2026-01-01T01:00:00Z"))
            #expect(h.service.snapshot.active.isEmpty)
            h.service.shutdown()
            try await group.next()
        }
    }

    @Test("submitted runs start within the limits")
    func submitted() async throws {
        let h = Harness(base: at("2026-01-01T00:00:00Z"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await h.service.run() }
            h.service.submit(ActiveRun(id: "api1", workflow: "w"), control: RunControl())
            #expect(await h.next { $0 == .started("api1") } != nil)
            h.dispatcher.finish("api1", .succeeded)
            #expect(await h.next { $0 == .finished("api1", .succeeded) } != nil)
            h.service.shutdown()
            try await group.next()
        }
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (s, a) = components
        return TimeInterval(s) + TimeInterval(a) / 1e18
    }
}
