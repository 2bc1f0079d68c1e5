import Synchronization

/// "Stop now": the second level of a run's cancellation reaching the processes that the first
/// level is already stopping. The first `cancel` sends their process groups SIGTERM and grants
/// the kill grace; a second one (`RunControl`) fires the attempt's escalation, and each process
/// still within its grace gets SIGKILL at once, as "stopping everything" promises.
///
/// An attempt's task carries its escalation in `current`; `ProcessRunner` registers each
/// process it supervises there.
final class Escalation: Sendable {
    private struct State {
        var fired = false
        var actions: [Int: @Sendable () -> Void] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// The escalation of the calling task's attempt; nil outside attempts.
    @TaskLocal static var current: Escalation?

    /// Calls `action` when the escalation fires (at once if it has). Returns a token for
    /// `remove`.
    func add(_ action: @escaping @Sendable () -> Void) -> Int {
        let (token, fireNow) = state.withLock { state -> (Int, Bool) in
            state.next += 1
            if !state.fired { state.actions[state.next] = action }
            return (state.next, state.fired)
        }
        if fireNow { action() }
        return token
    }

    func remove(_ token: Int) {
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }

    /// Calls every registered action, once.
    func fire() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }
}
