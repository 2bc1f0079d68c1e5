public import FlowCore
public import FlowEngine
import Synchronization

/// An attempt runner that runs no process: each step run's attempts end as scripted
/// (by step run id, one outcome per attempt; the last repeats), optionally writing outputs
/// to `$FLOW_OUTPUT`-style results. Unscripted steps succeed. Records concurrency.
public final class ScriptedAttemptRunner: AttemptRunner, Sendable {
    public struct Script: Sendable {
        public var outcomes: [StepOutcome]
        public var outputs: [String: String]
        /// When set, the attempt waits until the test calls `release(step)` (or is cancelled).
        public var blocks: Bool

        public init(_ outcomes: [StepOutcome] = [.succeeded], outputs: [String: String] = [:], blocks: Bool = false) {
            self.outcomes = outcomes
            self.outputs = outputs
            self.blocks = blocks
        }
    }

    private struct State {
        var attempts: [StepID: Int] = [:]
        var running = 0
        var maxRunning = 0
        var blocked: [StepID: CheckedContinuation<Void, Never>] = [:]
        var released: Set<StepID> = []
        var startWatchers: [StepID: [CheckedContinuation<Void, Never>]] = [:]
        var started: Set<StepID> = []
        var arguments: [StepID: [String]] = [:]
        var environments: [StepID: [String: String]] = [:]
    }

    private let scripts: [StepID: Script]
    private let state = Mutex(State())

    public init(_ scripts: [StepID: Script] = [:]) {
        self.scripts = scripts
    }

    /// The most step runs that were running at once.
    public var maxConcurrency: Int { state.withLock { $0.maxRunning } }

    /// The process arguments the engine resolved for a step run (last attempt).
    public func arguments(_ id: StepID) -> [String]? { state.withLock { $0.arguments[id] } }

    /// The environment the engine built for a step run (last attempt).
    public func environment(_ id: StepID) -> [String: String]? { state.withLock { $0.environments[id] } }

    /// Lets a blocking step run finish.
    public func release(_ id: StepID) {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.released.insert(id)
            return s.blocked.removeValue(forKey: id)
        }
        c?.resume()
    }

    /// Returns once step run `id` has started.
    public func waitUntilStarted(_ id: StepID) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.started.contains(id) { return true }
                s.startWatchers[id, default: []].append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    public func run(
        _ work: AttemptWork, timeout: Duration?, log: StepLog, started: @escaping @Sendable (Int32?) -> Void
    ) async -> AttemptResult {
        let id: StepID
        switch work {
        case .process(let arguments, let environment, _):
            id = StepID(environment["FLOW_STEP_ID"] ?? "?")
            state.withLock {
                $0.arguments[id] = arguments
                $0.environments[id] = environment
            }
        case .builtin(_, let invocation):
            id = invocation.stepID
        }
        started(nil)
        let script = scripts[id] ?? Script()
        let (attempt, watchers) = state.withLock { s -> (Int, [CheckedContinuation<Void, Never>]) in
            s.attempts[id, default: 0] += 1
            s.running += 1
            s.maxRunning = max(s.maxRunning, s.running)
            s.started.insert(id)
            return (s.attempts[id]!, s.startWatchers.removeValue(forKey: id) ?? [])
        }
        for w in watchers { w.resume() }
        defer { state.withLock { $0.running -= 1 } }
        if script.blocks {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { s -> Bool in
                        if s.released.contains(id) || Task.isCancelled { return true }
                        s.blocked[id] = c
                        return false
                    }
                    if now { c.resume() }
                }
            } onCancel: {
                let c = state.withLock { $0.blocked.removeValue(forKey: id) }
                c?.resume()
            }
            if Task.isCancelled { return AttemptResult(outcome: .cancelled) }
        }
        log.write("attempt \(attempt) of \(id)", stream: .stdout)
        let outcome = script.outcomes[min(attempt, script.outcomes.count) - 1]
        return AttemptResult(outcome: outcome, outputs: outcome.isSuccess ? script.outputs : [:])
    }
}
