import Synchronization

/// Cancels a run from outside its task (a signal handler, `flow cancel`, the daemon).
///
/// Two levels, as GitHub Actions behaves: the first `cancel` stops the step runs that are
/// running and lets steps whose `if:` calls `always()` or `cancelled()` still run; a second
/// `cancel` stops those too.
public final class RunControl: Sendable {
    private struct State {
        var level = 0
        var reason: String?
        /// What to do when the level rises above `level`, by token.
        var actions: [Int: (level: Int, action: @Sendable () -> Void)] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Raises the cancellation level by one (at most 2) and wakes what waits on it.
    public func cancel(reason: String = "cancelled") {
        let due = state.withLock { s -> [@Sendable () -> Void] in
            guard s.level < 2 else { return [] }
            s.level += 1
            if s.reason == nil { s.reason = reason }
            let ready = s.actions.filter { $0.value.level < s.level }
            for key in ready.keys { s.actions[key] = nil }
            return ready.values.map(\.action)
        }
        for action in due { action() }
    }

    /// 0 while not cancelled; 1 after the first `cancel`; 2 after the second.
    public var level: Int { state.withLock { $0.level } }

    /// The reason given to the first `cancel`.
    public var reason: String? { state.withLock { $0.reason } }

    /// Calls `action` (once) when the level rises above `level`, unless `removeAction(token)`
    /// came first. Returns nil, without calling it, when the level is already above.
    private func addAction(above level: Int, _ action: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { s -> Int? in
            if s.level > level { return nil }
            s.nextToken += 1
            s.actions[s.nextToken] = (level, action)
            return s.nextToken
        }
    }

    private func removeAction(_ token: Int) {
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }

    /// Runs `body` in a task of its own, preferring `executor`; if the level rises above
    /// `level` (or the calling task is cancelled) first, cancels that task and returns what
    /// `body` returns once it has wound down (it must honour cancellation). One task per call,
    /// no task waiting on the level.
    ///
    /// A level that rises again after that (to 2, from an attempt started at 0) fires the
    /// task's `Escalation`: its processes still within their kill grace get SIGKILL at once.
    func run<T: Sendable>(
        untilLevelAbove level: Int, on executor: (any TaskExecutor)? = nil, _ body: @escaping @Sendable () async -> T
    ) async -> T {
        let escalation = Escalation()
        let task = Task(executorPreference: executor) { await Escalation.$current.withValue(escalation) { await body() } }
        let escalating = level + 1 < 2 ? addAction(above: level + 1, { escalation.fire() }) : nil
        defer { if let escalating { removeAction(escalating) } }
        guard let token = addAction(above: level, { task.cancel() }) else {
            task.cancel()
            return await task.value
        }
        defer { removeAction(token) }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
