import FlowCore
import Foundation

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
            let request = ProcessRequest(
                arguments: arguments, environment: environment, workingDirectory: folder, timeout: timeout,
                killGrace: killGrace, maxLineBytes: 64 * 1024, standardInput: nil)
            let termination = await processes.run(
                request, onStart: { pid in started(pid) },
                onOutput: { lines in
                    for line in lines { log.write(bytes: line.bytes, stream: line.stream, continued: line.isContinued) }
                })
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
            return await Self.runBuiltin(executor, invocation, timeout: timeout)
        }
    }

    /// Calls a built-in kind; a timeout cancels its task.
    /// Runs on the global concurrent executor, off the event loop's thread (`EventLoop`), where the run's bookkeeping happens: kinds
    /// may compute for long (chunking, embedding, evaluation) or block.
    static func runBuiltin(_ executor: any StepExecutor, _ invocation: StepInvocation, timeout: Duration?) async -> AttemptResult {
        await withTaskExecutorPreference(globalConcurrentExecutor) {
            await runBuiltinHere(executor, invocation, timeout: timeout)
        }
    }

    private static func runBuiltinHere(
        _ executor: any StepExecutor, _ invocation: StepInvocation, timeout: Duration?
    ) async -> AttemptResult {
        await withTaskGroup(of: AttemptResult?.self) { group in
            group.addTask {
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
            if let timeout {
                group.addTask {
                    do { try await Task.sleep(for: timeout) } catch { return nil }
                    return AttemptResult(outcome: .timedOut)
                }
            }
            let first = await group.next()!
            group.cancelAll()
            if let result = first {
                if result.outcome == .timedOut {
                    // Let the kind wind down, then report the timeout.
                    _ = await group.next()
                }
                return result
            }
            // The timer was cancelled: the run was cancelled; wait for the kind's answer.
            return await group.next().flatMap { $0 } ?? AttemptResult(outcome: .cancelled)
        }
    }
}
