import FlowCore
import Foundation
import Synchronization

/// The real attempt runner: processes through `ProcessRunner` (own process group, output
/// captured line by line, timeout and cancellation kill the whole tree), built-in kinds by
/// calling their executor under the same timeout and cancellation rules.
public struct SystemAttemptRunner: AttemptRunner {
    let processes: ProcessRunner
    /// TERM → this long → KILL.
    public var killGrace: Duration

    public init(processes: ProcessRunner = ProcessRunner(), killGrace: Duration = .seconds(5)) {
        self.processes = processes
        self.killGrace = killGrace
    }

    public func run(
        _ work: AttemptWork, timeout: Duration?, log: StepLog, started: @escaping @Sendable (Int32?) -> Void
    ) async -> AttemptResult {
        switch work {
        case .process(let arguments, let environment, let folder):
            var request = ProcessRequest(
                arguments: arguments, environment: environment, workingDirectory: folder, timeout: timeout,
                killGrace: killGrace, maxLineBytes: 64 * 1024, standardInput: nil)
            // A process that left the step's group (`setsid`) is found by the run, step and
            // attempt its environment carries.
            let marks = ["FLOW_RUN_ID", "FLOW_STEP_ID", "FLOW_ATTEMPT"].compactMap { name in
                environment[name].map { "\(name)=\($0)" }
            }
            if marks.count == 3 { request.descendantMarks = marks }
            let termination = await processes.run(
                request, onStart: { pid in started(pid) },
                onOutput: { lines in
                    for line in lines { log.write(bytes: line.bytes, stream: line.stream, continued: line.isContinued) }
                })
            if termination == .timedOut || termination == .cancelled, !request.descendantMarks.isEmpty {
                // The step's process group is gone; what left it and outlived its SIGTERM goes now.
                let killed = LeftoverProcesses.kill(carrying: request.descendantMarks)
                if !killed.isEmpty {
                    log.write(
                        "flow: killed \(killed.count) process\(killed.count == 1 ? "" : "es") that had left the step's process group: \(LeftoverProcesses.describe(killed))"
                    )
                }
            }
            switch termination {
            case .exited(0): return AttemptResult(outcome: .succeeded)
            case .exited(let code): return AttemptResult(outcome: .failed(exitCode: code, signal: nil, reason: nil))
            case .signaled(let signal): return AttemptResult(outcome: .failed(exitCode: nil, signal: signal, reason: nil))
            case .timedOut: return AttemptResult(outcome: .timedOut)
            case .cancelled: return AttemptResult(outcome: .cancelled)
            case .failedToStart(let why):
                started(nil)
                log.write("error: cannot start \(arguments.first ?? "?"): \(why)")
                return AttemptResult(outcome: .failed(exitCode: 127, signal: nil, reason: "cannot start: \(why)"), retryable: false)
            }
        case .builtin(let executor, let invocation):
            started(nil)
            return await Self.runBuiltin(executor, invocation, timeout: timeout, grace: killGrace)
        }
    }

    /// Calls a built-in kind under `timeout` and cancellation, as a process step is stopped:
    /// when the timeout passes or the attempt is cancelled, the kind's task is cancelled and
    /// given `grace` to wind down (the SIGTERM → SIGKILL period of processes); a kind that
    /// has not returned by then is left behind — a Swift task cannot be killed — and the
    /// attempt ends as `timedOut` or `cancelled` anyway, with a line in its log saying so.
    ///
    /// The kind runs on the global concurrent executor, off the event loop's thread
    /// (`EventLoop`), where the run's bookkeeping happens: kinds may compute for long
    /// (chunking, embedding, evaluation) or block.
    static func runBuiltin(
        _ executor: any StepExecutor, _ invocation: StepInvocation, timeout: Duration?, grace: Duration
    ) async -> AttemptResult {
        let work = Task(executorPreference: globalConcurrentExecutor) { () -> AttemptResult in
            do {
                let outputs = try await executor.execute(invocation)
                return AttemptResult(outcome: .succeeded, outputs: outputs)
            } catch let failure as StepFailure {
                return AttemptResult(
                    outcome: .failed(exitCode: nil, signal: nil, reason: failure.message), retryable: !failure.isPermanent)
            } catch is CancellationError {
                return AttemptResult(outcome: .cancelled)
            } catch {
                if Task.isCancelled { return AttemptResult(outcome: .cancelled) }
                return AttemptResult(outcome: .failed(exitCode: nil, signal: nil, reason: "internal error: \(error)"))
            }
        }
        if let result = await TaskRace.value(of: work, within: timeout, cancellable: true) { return result }
        let ending = Task.isCancelled ? AttemptResult(outcome: .cancelled) : AttemptResult(outcome: .timedOut)
        work.cancel()
        if await TaskRace.value(of: work, within: grace, cancellable: false) == nil {
            invocation.log.write(
                "flow: the step did not stop within \(grace) of being \(ending.outcome == .cancelled ? "cancelled" : "timed out"); left behind"
            )
        }
        return ending
    }
}

/// Waiting for a task's value with a time limit.
enum TaskRace {
    /// `task`'s value, or nil when `limit` (nil: no limit) passes first or — when
    /// `cancellable` — the calling task is cancelled first. `task` itself is not cancelled.
    static func value<T: Sendable>(of task: Task<T, Never>, within limit: Duration?, cancellable: Bool) async -> T? {
        let gate = Gate<T>()
        let wait = {
            await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
                gate.start(continuation)
                Task { gate.finish(await task.value) }
                if let limit {
                    gate.setTimer(
                        Task {
                            do { try await Task.sleep(for: limit) } catch { return }
                            gate.finish(nil)
                        })
                }
            }
        }
        guard cancellable else { return await wait() }
        return await withTaskCancellationHandler(operation: wait, onCancel: { gate.finish(nil) })
    }

    /// Resumes a continuation once, with the first of the competing answers.
    private final class Gate<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T?, Never>?
            /// An answer that came before `start` (a cancellation already requested).
            var early: T??
            var timer: Task<Void, Never>?
            var done = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T?, Never>) {
            let early = state.withLock { state -> T?? in
                if let early = state.early {
                    state.done = true
                    return early
                }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        func setTimer(_ timer: Task<Void, Never>) {
            let cancel = state.withLock { state -> Bool in
                if state.done { return true }
                state.timer = timer
                return false
            }
            if cancel { timer.cancel() }
        }

        func finish(_ value: T?) {
            let (continuation, timer) = state.withLock { state -> (CheckedContinuation<T?, Never>?, Task<Void, Never>?) in
                guard !state.done else { return (nil, nil) }
                guard let continuation = state.continuation else {
                    if state.early == nil { state.early = .some(value) }
                    return (nil, nil)
                }
                state.done = true
                state.continuation = nil
                defer { state.timer = nil }
                return (continuation, state.timer)
            }
            timer?.cancel()
            continuation?.resume(returning: value)
        }
    }
}
