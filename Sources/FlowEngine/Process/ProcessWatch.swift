import Synchronization

/// What happened to one supervised process since its task last looked.
struct ProcessEvents: OptionSet, Sendable {
    let rawValue: UInt32
    /// The standard output pipe became readable (data or end of file).
    static let stdout = ProcessEvents(rawValue: 1 << 0)
    /// The standard error pipe became readable (data or end of file).
    static let stderr = ProcessEvents(rawValue: 1 << 1)
    /// The standard input pipe became writable (or its reader went away).
    static let stdin = ProcessEvents(rawValue: 1 << 2)
    /// The pidfd became readable: the process has exited and waits to be reaped.
    static let exited = ProcessEvents(rawValue: 1 << 3)
    /// The deadline set with `EventLoop.setDeadline` passed.
    static let deadline = ProcessEvents(rawValue: 1 << 4)
    /// The supervising task was cancelled.
    static let cancelled = ProcessEvents(rawValue: 1 << 5)
    /// The reaper collected an orphan; the process group may now be empty.
    static let groupChanged = ProcessEvents(rawValue: 1 << 6)
    /// The run's cancellation reached its second level (`Escalation`): no more grace.
    static let killNow = ProcessEvents(rawValue: 1 << 7)
}

/// The mailbox between the event loop thread (and cancellation handlers, and the reaper) and
/// the one task supervising a process: events accumulate until the task takes them.
final class ProcessWatch: Sendable {
    private struct State {
        var pending: ProcessEvents = []
        var waiter: UnsafeContinuation<ProcessEvents, Never>?
    }

    private static let counter = Atomic<UInt64>(0)

    /// Unique in this process, never 0; the event loop's key.
    let id: UInt64
    private let state = Mutex(State())

    init() {
        id = Self.counter.add(1, ordering: .relaxed).newValue
    }

    /// Adds `events`; resumes the waiting task, if any, with everything pending.
    func post(_ events: ProcessEvents) {
        let wake = state.withLock { state -> (UnsafeContinuation<ProcessEvents, Never>, ProcessEvents)? in
            state.pending.formUnion(events)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            defer { state.pending = [] }
            return (waiter, state.pending)
        }
        if let (waiter, events) = wake { waiter.resume(returning: events) }
    }

    /// Waits until at least one event is pending and takes all pending events. One task only.
    func next() async -> ProcessEvents {
        await withUnsafeContinuation { continuation in
            let ready = state.withLock { state -> ProcessEvents? in
                if state.pending.isEmpty {
                    state.waiter = continuation
                    return nil
                }
                defer { state.pending = [] }
                return state.pending
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Takes the pending events without waiting (possibly none).
    func take() -> ProcessEvents {
        state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
    }
}
