import FlowCore
import FlowEngine
import FlowScheduler
import Foundation
import Logging
import Synchronization

/// Records what the scheduler asks for; runs block until the test finishes them, and every call is announced on `events` so tests wait on it, never on time.
final class FakeDispatcher: RunDispatching {
    enum Call: Sendable, Equatable {
        case recorded(ScheduleID, Date, RunID)
        case started(RunID)
        case finished(RunID, RunStatus)
        case cancelled(RunID)
        case abandoned(RunID)
    }

    private struct State {
        var next = 0
        var calls: [Call] = []
        var recorded: Set<String> = []
        var finishers: [RunID: CheckedContinuation<RunStatus, Never>] = [:]
        var early: [RunID: RunStatus] = [:]
        var controls: [RunID: RunControl] = [:]
    }

    private let state = Mutex(State())
    let events: AsyncStream<Call>
    private let sink: AsyncStream<Call>.Continuation

    init() {
        (events, sink) = AsyncStream.makeStream()
    }

    var calls: [Call] { state.withLock { $0.calls } }

    private func note(_ call: Call) {
        state.withLock { $0.calls.append(call) }
        sink.yield(call)
    }

    func record(_ schedule: ScheduleID, scheduledFor: Date) async throws(DispatchError) -> RunID {
        let id = try state.withLock { s throws(DispatchError) -> RunID in
            let key = "\(schedule) \(scheduledFor.timeIntervalSince1970)"
            guard s.recorded.insert(key).inserted else { throw DispatchError(.conflict, "exists") }
            s.next += 1
            return RunID("run\(s.next)")
        }
        note(.recorded(schedule, scheduledFor, id))
        return id
    }

    func execute(_ run: ActiveRun, control: RunControl) async -> RunStatus {
        note(.started(run.id))
        state.withLock { $0.controls[run.id] = control }
        let status = await withCheckedContinuation { (c: CheckedContinuation<RunStatus, Never>) in
            let early = state.withLock { s -> RunStatus? in
                if let status = s.early.removeValue(forKey: run.id) { return status }
                s.finishers[run.id] = c
                return nil
            }
            if let early { c.resume(returning: early) }
        }
        note(.finished(run.id, status))
        return status
    }

    /// Ends run `id` with `status` (now, or as soon as it starts).
    func finish(_ id: RunID, _ status: RunStatus) {
        let c = state.withLock { s -> CheckedContinuation<RunStatus, Never>? in
            if let c = s.finishers.removeValue(forKey: id) { return c }
            s.early[id] = status
            return nil
        }
        c?.resume(returning: status)
    }

    /// The cancellation level of run `id`'s control (0 when it never started).
    func cancelLevel(_ id: RunID) -> Int { state.withLock { $0.controls[id]?.level ?? 0 } }

    /// The reason given to the first cancel of run `id`'s control.
    func cancelReason(_ id: RunID) -> String? { state.withLock { $0.controls[id]?.reason } }

    func recordCancelled(_ run: RunID, reason: String) async { note(.cancelled(run)) }
    func recordAbandoned(_ run: RunID, reason: String) async { note(.abandoned(run)) }
}

/// Watermarks in memory, shared between two scheduler lifetimes to test restarts.
final class FakeStateStore: ScheduleStateStoring {
    private let states: Mutex<[ScheduleID: ScheduleState]>

    init(_ states: [ScheduleID: ScheduleState] = [:]) {
        self.states = Mutex(states)
    }

    var current: [ScheduleID: ScheduleState] { states.withLock { $0 } }

    func loadStates() async throws -> [ScheduleID: ScheduleState] { current }

    func saveStates(_ new: [ScheduleID: ScheduleState]) async throws {
        states.withLock { $0.merge(new) { $1 } }
    }

    func removeStates(_ schedules: Set<ScheduleID>) async throws {
        states.withLock { for id in schedules { $0[id] = nil } }
    }
}

/// A log handler that hands every message to the test, so it can wait for what the scheduler
/// says it did.
struct StreamLogHandler: LogHandler {
    let sink: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.yield(event.message.description)
    }

    /// A logger and the stream of its messages.
    static func make() -> (Logger, AsyncStream<String>) {
        let (stream, sink) = AsyncStream<String>.makeStream()
        return (Logger(label: "test") { _ in StreamLogHandler(sink: sink) }, stream)
    }
}
