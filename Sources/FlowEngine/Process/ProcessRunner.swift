import Glibc

/// Starts and supervises the processes of shell steps: each in its own process group, output
/// cut into lines as it arrives, timeouts and cancellation stopping the whole group.
///
/// A process is watched by the `EventLoop` of the run it belongs to (`EventLoop.current`), or
/// else by the process's shared one, which waits in `epoll` on every running process's pipes
/// and pidfd; no thread per process, no polling, no sleeping. Each `run` call's own task reads its pipes and calls `onOutput`, so a
/// slow consumer slows only its own process.
///
/// Process-wide effects: creating a runner resets `SIGCHLD` to its default disposition if it
/// was ignored (an ignored `SIGCHLD` makes the kernel discard exit statuses). For the
/// guarantee that no member of a step's group outlives `run`, call `Reaper.becomeSubreaper()`
/// once at startup.
public final class ProcessRunner: Sendable {
    /// How long output may still arrive through the pipes after the main process exited, held
    /// open by a process it left behind (`sleep 100 &`); then the group is killed anyway.
    static let drainPeriod: UInt64 = 200_000_000
    /// How long `run` waits, as a subreaper, for the killed members of a group to be reaped
    /// (a process in uninterruptible sleep can take long to die).
    static let groupReapLimit: UInt64 = 2_000_000_000

    /// Creates a runner; the event-loop thread starts with the first `run` of any runner.
    public init() {
        _ = Self.signalDispositionsChecked
    }

    /// Runs one process to completion.
    ///
    /// Order of events: the process is spawned (`failedToStart` if that fails); its output is
    /// delivered while it runs; when it exits, output is read until both pipes reach end of
    /// file or `drainPeriod` passes; then SIGKILL goes to its process group (a member left
    /// running is a bug), the exit status is collected, and — when this process is a
    /// subreaper — `run` waits until the group is empty.
    ///
    /// - Parameters:
    ///   - request: what to run.
    ///   - onOutput: receives batches of lines (complete lines, or pieces of long lines with
    ///     `isContinued`), in order within each stream; called from the task of this `run`,
    ///     never concurrently with itself for one run. Memory held per stream is at most
    ///     `maxLineBytes` plus one 64 KiB read, whatever the output size: a slow `onOutput`
    ///     makes the process block on a full pipe, not the runner buffer.
    ///   - onStart: called once the process is spawned, with its pid (also its process group
    ///     id), before any output is delivered; not called when it fails to start.
    /// - Returns: how the process ended. Task cancellation sends SIGTERM (and SIGCONT) to the
    ///   group, waits `killGrace`, sends SIGKILL, and returns `.cancelled`; a timeout does the
    ///   same and returns `.timedOut`. A cancellation that arrives after the main process has
    ///   exited only cuts the drain short; its real status is returned. Nothing is thrown: a
    ///   process that cannot start is `.failedToStart`.
    public func run(
        _ request: ProcessRequest, onStart: @Sendable (Int32) -> Void = { _ in },
        onOutput: @escaping @Sendable ([OutputLine]) -> Void
    ) async -> ProcessTermination {
        if Task.isCancelled { return .cancelled }
        let loop: EventLoop
        if let current = EventLoop.current {
            loop = current  // the loop of the run this process belongs to
        } else {
            switch EventLoop.shared {
            case .success(let shared): loop = shared
            case .failure(let failure): return .failedToStart("\(LinuxCalls.errorText(failure.code)): event loop")
            }
        }
        switch Spawner.spawn(request) {
        case .failure(let failure):
            return .failedToStart(failure.message)
        case .success(let process):
            onStart(process.pid)
            var supervisor = ProcessSupervisor(process: process, request: request, loop: loop, onOutput: onOutput)
            return await supervisor.run()
        }
    }

    /// Resets an ignored `SIGCHLD` (inherited through exec from a parent that ignored it) to
    /// the default, so exited children stay waitable. Once per process.
    private static let signalDispositionsChecked: Bool = {
        var current = sigaction()
        sigaction(SIGCHLD, nil, &current)
        let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
        if (current.sa_flags & SA_SIGINFO == 0 && handler == 1) || current.sa_flags & SA_NOCLDWAIT != 0 {
            var standard = sigaction()
            sigemptyset(&standard.sa_mask)
            sigaction(SIGCHLD, &standard, nil)
        }
        return true
    }()
}
