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
        var waiters: [Int: (level: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Raises the cancellation level by one (at most 2) and wakes what waits on it.
    public func cancel(reason: String = "cancelled") {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard s.level < 2 else { return [] }
            s.level += 1
            if s.reason == nil { s.reason = reason }
            let ready = s.waiters.filter { $0.value.level < s.level }
            for key in ready.keys { s.waiters[key] = nil }
            return ready.values.map(\.continuation)
        }
        for c in woken { c.resume() }
    }

    /// 0 while not cancelled; 1 after the first `cancel`; 2 after the second.
    public var level: Int { state.withLock { $0.level } }

    /// The reason given to the first `cancel`.
    public var reason: String? { state.withLock { $0.reason } }

    /// Returns once the level rises above `level`, or when the calling task is cancelled.
    func waitForLevel(above level: Int) async {
        let token = state.withLock { s -> Int in
            s.nextToken += 1
            return s.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.level > level || Task.isCancelled { return true }
                    s.waiters[token] = (level, c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { s in s.waiters.removeValue(forKey: token)?.continuation }
            c?.resume()
        }
    }

    /// Runs `body`; if the level rises above `level` first, cancels `body`'s task and returns
    /// what `body` returns once it has wound down (it must honour cancellation).
    func run<T: Sendable>(untilLevelAbove level: Int, _ body: @escaping @Sendable () async -> T) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                await self.waitForLevel(above: level)
                return nil
            }
            var result: T?
            while let next = await group.next() {
                if let value = next {
                    result = value
                    group.cancelAll()
                } else if result == nil {
                    group.cancelAll()
                }
            }
            return result!
        }
    }
}
