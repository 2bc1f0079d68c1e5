import Foundation
import Synchronization
import Testing

@testable import FlowEngine

@Suite("Run thread")
struct RunThreadTests {
    /// The kernel id of the calling thread.
    static func currentThread() -> pid_t { LinuxCalls.threadID() }

    @Test("tasks that prefer a run thread all run on that one thread, not the caller's")
    func oneThread() async {
        let thread = RunThread()
        defer { thread.shutdown() }
        let seen = await withTaskExecutorPreference(thread) {
            await withTaskGroup(of: pid_t.self) { group in
                for _ in 0..<8 { group.addTask { Self.currentThread() } }
                var seen: Set<pid_t> = [Self.currentThread()]
                for await id in group { seen.insert(id) }
                return seen
            }
        }
        #expect(seen.count == 1)
        #expect(seen.first != getpid())
    }

    @Test("a task enqueued after shutdown still runs, on the global executor")
    func lateTask() async {
        let thread = RunThread()
        let first = await Task(executorPreference: thread) { Self.currentThread() }.value
        thread.shutdown()
        // Wait for the thread to end: a task preferring it then runs elsewhere.
        var late = first
        while late == first {
            late = await Task(executorPreference: thread) { Self.currentThread() }.value
        }
        #expect(late != first)
    }
}
