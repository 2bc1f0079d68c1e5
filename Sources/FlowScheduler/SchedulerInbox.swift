import FlowCore
import FlowEngine
import Synchronization

/// The scheduler loop's mailbox: other tasks post events; the loop drains them and waits for
/// the next one or for a deadline, whichever comes first.
final class SchedulerInbox: Sendable {
    enum Event: Sendable {
        case schedules([Schedule], forgetting: Set<ScheduleID>)
        case submitted(ActiveRun, RunControl)
        case finished(RunID, RunStatus)
        case cancel(RunID, reason: String, reply: CheckedContinuation<CancelOutcome, Never>)
        case shutdown
        /// The grace period is over: cancel the running runs, giving `reason`.
        case graceExpired(reason: String)
    }

    private struct State {
        var events: [Event] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    /// Adds an event and wakes the loop. After `close`, cancel requests are answered
    /// `.notActive` and other events dropped.
    func post(_ event: Event) {
        let (waiter, rejected) = state.withLock { s -> (CheckedContinuation<Void, Never>?, Event?) in
            if s.closed { return (nil, event) }
            s.events.append(event)
            defer { s.waiter = nil }
            return (s.waiter, nil)
        }
        if case .cancel(_, _, let reply)? = rejected { reply.resume(returning: .notActive) }
        waiter?.resume()
    }

    /// Takes every event posted so far, in order.
    func drain() -> [Event] {
        state.withLock { s in
            defer { s.events = [] }
            return s.events
        }
    }

    /// Stops accepting events; answers the cancel requests still in the box.
    func close() {
        let left = state.withLock { s -> [Event] in
            s.closed = true
            defer { s.events = [] }
            return s.events
        }
        for case .cancel(_, _, let reply) in left { reply.resume(returning: .notActive) }
    }

    /// Returns when an event is waiting, or after `delay` on `clock` (nil: no deadline), or
    /// when the task is cancelled.
    func wait(for delay: Duration?, on clock: any Clock<Duration>) async {
        if state.withLock({ !$0.events.isEmpty }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForEvent() }
            if let delay {
                group.addTask { try? await clock.sleep(for: delay) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForEvent() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if !s.events.isEmpty || s.closed || Task.isCancelled { return true }
                    s.waiter = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { s in
                defer { s.waiter = nil }
                return s.waiter
            }
            c?.resume()
        }
    }
}

/// What a cancel request did.
public enum CancelOutcome: Sendable, Hashable {
    /// The run is executing; its `RunControl` was cancelled (a second request stops its
    /// cleanup steps too). It records `cancelled` when it has stopped.
    case cancelling
    /// The run was queued; it is recorded as cancelled and never starts.
    case cancelled
    /// The run is not active in this daemon.
    case notActive
}
