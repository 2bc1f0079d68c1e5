import Glibc
import Testing

@testable import FlowEngine

/// Timeouts, cancellation and leftovers: whatever the step started must be gone when `run`
/// returns. The runner's process is made a subreaper, as the engine's is, so "gone" can be
/// checked strictly: `kill(pid, 0)` fails with `ESRCH` (a zombie would still answer).
@Suite("Process runner: stopping the whole process group")
struct ProcessStoppingTests {
    init() {
        Reaper.becomeSubreaper()
    }

    @Test("a timeout sends TERM, waits the grace period, then KILLs the group, grandchildren included")
    func timeoutKillsTree() async throws {
        // The shell reports TERM and keeps waiting; its grandchild ignores TERM entirely, so
        // only the KILL after the grace period ends them.
        let script = """
            trap 'echo got TERM' TERM
            sh -c 'trap "" TERM; exec sleep 1000' &
            echo $!
            while :; do wait; done
            """
        let started = ProcessFixture.monotonicSeconds()
        let (termination, output) = await ProcessFixture.run(
            ProcessFixture.shell(script, timeout: .seconds(2), killGrace: .milliseconds(300)))
        let elapsed = ProcessFixture.monotonicSeconds() - started
        #expect(termination == .timedOut)
        let lines = output.text(.stdout)
        let grandchild = try #require(lines.first.flatMap { pid_t($0) })
        #expect(lines.dropFirst().contains("got TERM"))
        #expect(elapsed >= 2.3)
        #expect(ProcessFixture.isGone(grandchild))
    }

    @Test("cancelling the task stops the group and returns cancelled")
    func cancellation() async throws {
        let recorder = OutputRecorder()
        let runner = ProcessRunner()
        let task = Task {
            await runner.run(ProcessFixture.shell("sleep 1000 & echo $!; wait", killGrace: .seconds(120)), onOutput: recorder.onOutput)
        }
        var lines = recorder.stdoutLines.makeAsyncIterator()
        let grandchild = try #require(await lines.next().flatMap { pid_t($0) })
        let started = ProcessFixture.monotonicSeconds()
        task.cancel()
        let termination = await task.value
        #expect(termination == .cancelled)
        // TERM sufficed (both processes die of it): far sooner than the 120 s grace, even on a
        // loaded machine.
        #expect(ProcessFixture.monotonicSeconds() - started < 60)
        #expect(ProcessFixture.isGone(grandchild))
    }

    @Test("a task cancelled before run starts nothing")
    func cancelledBeforeStart() async {
        let directory = ProcessFixture.temporaryDirectory()
        defer { rmdir(directory) }
        let marker = directory + "/started"
        let termination = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await ProcessRunner().run(ProcessFixture.shell("touch \"$1\"", marker)) { _ in }
        }.value
        #expect(termination == .cancelled)
        #expect(access(marker, F_OK) == -1)
    }

    @Test("a background process holding the output pipe does not hold up the step, and is killed")
    func backgroundHoldingPipe() async throws {
        let started = ProcessFixture.monotonicSeconds()
        let (termination, output) = await ProcessFixture.run(ProcessFixture.shell("sleep 1000 & echo $!"))
        #expect(termination == .exited(0))
        // Not held up for the 1000 s the background process would keep the pipe open.
        #expect(ProcessFixture.monotonicSeconds() - started < 60)
        let leftover = try #require(output.text(.stdout).first.flatMap { pid_t($0) })
        #expect(ProcessFixture.isGone(leftover))
    }

    @Test("a background process with its own output is killed when the main process exits")
    func backgroundDetachedFromPipe() async throws {
        let (termination, output) = await ProcessFixture.run(ProcessFixture.shell("sleep 1000 >/dev/null 2>&1 & echo $!"))
        #expect(termination == .exited(0))
        let leftover = try #require(output.text(.stdout).first.flatMap { pid_t($0) })
        #expect(ProcessFixture.isGone(leftover))
    }

    @Test("output written just before a timeout is still delivered")
    func outputBeforeTimeout() async {
        let (termination, output) = await ProcessFixture.run(
            ProcessFixture.shell("echo before; printf partial; exec sleep 1000", timeout: .milliseconds(500)))
        #expect(termination == .timedOut)
        #expect(output.text(.stdout) == ["before", "partial"])
    }
}
