import FlowCore
import Synchronization
import Testing

@testable import FlowEngine

/// Opens once; waiting on it ignores cancellation.
private final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiter: UnsafeContinuation<Void, Never>?)>((false, nil))

    func wait() async {
        await withUnsafeContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiter = continuation }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            state.open = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

/// A kind that ignores cancellation: it returns only once its latch opens.
private struct StubbornKind: StepExecutor {
    let spec = StepKindSpec(name: "stubborn", summary: "Ignores cancellation.", inputs: [], outputs: [])
    let latch: Latch

    func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        await latch.wait()
        return [:]
    }
}

/// A kind that stops as soon as it is cancelled.
private struct PoliteKind: StepExecutor {
    let spec = StepKindSpec(name: "polite", summary: "Honours cancellation.", inputs: [], outputs: [])

    func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        try await Task.sleep(for: .seconds(3600))
        return [:]
    }
}

@Suite("Built-in kinds are stopped like processes")
struct BuiltinStopTests {
    static func invocation(log: StepLog) -> StepInvocation {
        StepInvocation(
            runID: RunID(rawValue: "r"), workflow: WorkflowName(rawValue: "w"), stepID: StepID(rawValue: "s"), attempt: 1,
            inputs: [:], environment: [:], workspace: "/tmp", workingDirectory: "/tmp", log: log)
    }

    @Test("a kind that ignores its timeout is left behind after the grace period; the attempt times out", .timeLimit(.minutes(1)))
    func stubbornTimeout() async {
        let latch = Latch()
        defer { latch.open() }
        let lines = Mutex<[String]>([])
        let log = StepLog { _, bytes, _ in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let result = await SystemAttemptRunner.runBuiltin(
            StubbornKind(latch: latch), Self.invocation(log: log), timeout: .milliseconds(50), grace: .milliseconds(50))
        #expect(result.outcome == .timedOut)
        #expect(lines.withLock { $0 } == ["flow: the step did not stop within 0.05 seconds of being timed out; left behind"])
    }

    @Test("a kind that honours cancellation ends within the grace period: cancelled, nothing left behind", .timeLimit(.minutes(1)))
    func politeCancel() async {
        let lines = Mutex<[String]>([])
        let log = StepLog { _, bytes, _ in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let attempt = Task {
            await SystemAttemptRunner.runBuiltin(PoliteKind(), Self.invocation(log: log), timeout: nil, grace: .seconds(600))
        }
        attempt.cancel()
        let result = await attempt.value
        #expect(result.outcome == .cancelled)
        #expect(lines.withLock { $0 }.isEmpty)
    }

    @Test("a kind that finishes in time returns its own result")
    func inTime() async {
        let result = await SystemAttemptRunner.runBuiltin(
            PoliteKindThatReturns(), Self.invocation(log: .discarding), timeout: .seconds(600), grace: .seconds(1))
        #expect(result.outcome == .succeeded)
        #expect(result.outputs == ["answer": "42"])
    }
}

private struct PoliteKindThatReturns: StepExecutor {
    let spec = StepKindSpec(name: "quick", summary: "Returns at once.", inputs: [], outputs: [])
    func execute(_ invocation: StepInvocation) async throws -> [String: String] { ["answer": "42"] }
}
