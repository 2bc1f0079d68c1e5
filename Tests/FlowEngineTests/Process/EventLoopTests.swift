import FlowCore
import FlowTesting
import Foundation
import Synchronization
import Testing

@testable import FlowEngine

@Suite("Event loop")
struct EventLoopTests {
    /// The kernel id of the calling thread.
    static func currentThread() -> pid_t { LinuxCalls.threadID() }

    static var loop: EventLoop {
        guard case .success(let loop) = EventLoop.shared else { preconditionFailure("the event loop did not start") }
        return loop
    }

    /// The loop's thread id, seen from a task that runs on it.
    static func loopThread() async -> pid_t {
        await Task(executorPreference: loop) { currentThread() }.value
    }

    @Test("tasks that prefer the event loop all run on its one thread, not the caller's")
    func oneThread() async {
        let seen = await withTaskExecutorPreference(Self.loop) {
            await withTaskGroup(of: pid_t.self) { group in
                for _ in 0..<8 { group.addTask { Self.currentThread() } }
                var seen: Set<pid_t> = [Self.currentThread()]
                for await id in group { seen.insert(id) }
                return seen
            }
        }
        #expect(seen.count == 1)
        #expect(seen.first != getpid())
        #expect(seen.first == (await Self.loopThread()))
    }

    @Test("a process started from the loop ends on the loop: its supervising task resumes there")
    func processEndsOnLoop() async {
        let loopThread = await Self.loopThread()
        let (termination, threadAfter) = await Task(executorPreference: Self.loop) {
            let (termination, _) = await ProcessFixture.run(ProcessFixture.shell("exit 3"))
            return (termination, Self.currentThread())
        }.value
        #expect(termination == .exited(3))
        #expect(threadAfter == loopThread)
    }

    @Test("a task that keeps yielding on the loop does not hold back process events", .timeLimit(.minutes(1)))
    func noStarvation() async {
        let done = Atomic<Bool>(false)
        let spins = Atomic<Int>(0)
        let spinner = Task(executorPreference: Self.loop) {
            while !done.load(ordering: .acquiring) {
                spins.add(1, ordering: .relaxed)
                await Task.yield()
            }
        }
        // Started from the loop too: the process's exit must be seen although the queue of
        // jobs is never empty while the spinner runs.
        let termination = await Task(executorPreference: Self.loop) {
            await ProcessFixture.run(ProcessFixture.shell("echo hi")).0
        }.value
        done.store(true, ordering: .releasing)
        await spinner.value
        #expect(termination == .exited(0))
        #expect(spins.load(ordering: .relaxed) > 0)
    }

    @Test("a private loop ends after shutdown; late jobs and a late process go to the global executor and the shared loop")
    func privateLoopEnds() async throws {
        guard case .success(let loop) = EventLoop.makePrivate() else {
            Issue.record("no private loop")
            return
        }
        let loopThread = await Task(executorPreference: loop) { Self.currentThread() }.value
        loop.shutdown()
        // Wait until the thread has ended: a job preferring the loop then runs elsewhere.
        var late = loopThread
        while late == loopThread {
            late = await Task(executorPreference: loop) { Self.currentThread() }.value
        }
        #expect(late != loopThread)
        // A task that outlived its run still starts processes: they are watched by the shared
        // loop (the private loop's epoll descriptor is closed).
        let termination = await EventLoop.$current.withValue(loop) {
            await ProcessFixture.run(ProcessFixture.shell("exit 4")).0
        }
        #expect(termination == .exited(4))
    }

    @Test("after becomeSubreaper, SIGCHLD is unblocked on the loop's thread (the one the kernel delivers it to)")
    func childSignalMask() async throws {
        Reaper.becomeSubreaper()
        // Read on the loop's thread itself, between its jobs: while it spawns a process,
        // glibc's posix_spawn blocks every signal on it for a moment.
        let status = try await Task(executorPreference: Self.loop) {
            try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
        }.value
        // "SigBlk:" is the blocked set as hex, bit (signal - 1) (proc(5)).
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") })
        let mask = try #require(UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16))
        #expect(mask & (1 << (UInt64(SIGCHLD) - 1)) == 0)
    }
}

/// Blocks in `handle` on the first output line until `open()`, like a recorder applying
/// back-pressure; records when it got there.
private final class BlockingObserver: RunObserver, Sendable {
    private let gate = Mutex<(open: Bool, blocked: Bool)>((false, false))
    private let condition = NSCondition()
    private let arrived: AsyncStream<Void>.Continuation
    let arrivals: AsyncStream<Void>

    init() {
        (arrivals, arrived) = AsyncStream<Void>.makeStream()
    }

    func handle(_ event: RunEvent) {
        guard case .stepOutput = event else { return }
        condition.lock()
        arrived.yield()
        while !gate.withLock({ $0.open }) { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        gate.withLock { $0.open = true }
        condition.broadcast()
        condition.unlock()
    }
}

private final class NullObserver: RunObserver, Sendable {
    func handle(_ event: RunEvent) {}
}

@Suite("Event loop: overlapping runs")
struct OverlappingRunTests {
    @Test("a run whose observer blocks does not hold up another run that starts meanwhile", .timeLimit(.minutes(1)))
    func isolation() async {
        let folder = NSTemporaryDirectory() + "flow-overlap-\(UUID())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let engine = Engine(runner: SystemAttemptRunner())
        let environment = ["PATH": "/usr/bin:/bin"]
        func request(_ name: String, _ script: String) -> RunRequest {
            RunRequest(
                id: RunID(rawValue: name), workflow: WorkflowBuilder.workflow(name: name, [WorkflowBuilder.step("s", run: script)]),
                workspace: folder + "/" + name, baseDirectory: folder, baseEnvironment: environment)
        }
        let blocking = BlockingObserver()
        let first = Task { await engine.run(request("first", "echo blocked"), observer: blocking) }
        // Wait (on the event) until the first run's observer is blocked on its loop's thread.
        var arrivals = blocking.arrivals.makeAsyncIterator()
        _ = await arrivals.next()
        // The second run gets a loop of its own and finishes although the first is stuck.
        let second = await engine.run(request("second", "echo free"), observer: NullObserver())
        #expect(second == .succeeded)
        blocking.open()
        #expect(await first.value == .succeeded)
    }
}
