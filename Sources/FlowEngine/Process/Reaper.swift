import Glibc
import Synchronization

/// Makes this process the reaper of its orphaned descendants, and collects them.
///
/// Without it, a grandchild whose parent exits is re-parented to init (or the container's
/// PID 1), which reaps it whenever it gets to it; with it, such orphans become children of
/// this process, so after a step's process group is killed the runner can wait, event-driven,
/// until every member is gone (`kill(-pgid, 0)` fails with `ESRCH`), and zombies never pile up.
///
/// Reaping orphans must not steal the exit status of anybody's children, so there is no
/// `waitpid(-1)`:
/// - Each child a runner started is reaped only by its own supervising task, through its pidfd
///   (`waitid(P_PIDFD)`). From the moment `posix_spawn` returns it is listed as a *leader*;
///   spawns in progress hold sweeps back, so a child that exits before it is listed is never
///   mistaken for an orphan.
/// - A `SIGCHLD` handler (installed here; it chains to any previous handler) wakes a sweep on
///   the `EventLoop`'s thread, the one thread with `SIGCHLD` unblocked. The sweep first reaps, with `waitid(P_PGID)`, the members of each group
///   whose leader is already reaped and whose runner waits for it to empty. Then it peeks at
///   the next zombie child (`waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT)`) and reaps it with
///   `waitid(P_PID)` only if it is an orphan of a step: in the process group of a listed
///   leader, or in a session other than this process's (it escaped with `setsid`). A listed
///   leader stops the sweep until its task has reaped it (then the sweep runs again); any other
///   zombie is a child of some other code in this process — Foundation's `Process` starts each
///   child in its own group of this session and `waitpid`s it — and is left to its owner.
/// - Not collected: an orphan that left its step's group without a new session (`setpgid`,
///   e.g. a job-control shell's background job) and exits after its step has finished. It
///   stays a zombie until this process exits.
public enum Reaper {
    /// Sets `PR_SET_CHILD_SUBREAPER` on this process and installs the orphan sweep. Idempotent;
    /// call once at startup, before the first step. Changes process-wide state: the `SIGCHLD`
    /// disposition and the parent of orphaned descendants.
    ///
    /// - Returns: false when the kernel refused (`prctl` failed); nothing is changed then.
    @discardableResult
    public static func becomeSubreaper() -> Bool {
        let installed = children.withLock { table -> Bool in
            if table.isSubreaper { return true }
            guard LinuxCalls.prctl(LinuxCalls.setChildSubreaper, 1) == 0 else { return false }
            guard case .success(let loop) = EventLoop.shared else {
                _ = LinuxCalls.prctl(LinuxCalls.setChildSubreaper, 0)
                return false
            }
            var pipe = (Int32(-1), Int32(-1))
            guard LinuxCalls.pipe(&pipe, flags: O_CLOEXEC | O_NONBLOCK) == 0 else {
                _ = LinuxCalls.prctl(LinuxCalls.setChildSubreaper, 0)
                return false
            }
            // The event loop's thread sweeps when the pipe becomes readable: it is the thread
            // SIGCHLD is delivered to, and the thread a step's exit wakes anyway (its pidfd).
            guard loop.watchChildSignals(pipe.0) == 0 else {
                close(pipe.0)
                close(pipe.1)
                _ = LinuxCalls.prctl(LinuxCalls.setChildSubreaper, 0)
                return false
            }
            installSIGCHLDHandler(wakeDescriptor: pipe.1)
            if getpid() == LinuxCalls.threadID() {
                // On the main thread (which Dispatch parks in sigsuspend), block SIGCHLD, as
                // Dispatch's workers block every signal: the kernel then hands it to the event
                // loop's thread instead of waking the main thread too. Threads started from here on
                // inherit the mask; the handler still runs wherever the signal lands.
                var childSignal = childSignalSet()
                pthread_sigmask(SIG_BLOCK, &childSignal, nil)
            }
            table.isSubreaper = true
            return true
        }
        if installed { sweep() }  // orphans may already be waiting
        return installed
    }

    /// The set holding SIGCHLD alone.
    private static func childSignalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGCHLD)
        return set
    }

    /// Whether `becomeSubreaper` succeeded.
    static var isSubreaper: Bool { children.withLock { $0.isSubreaper } }

    // MARK: The runner's side

    /// How a reaped child ended.
    enum ChildStatus: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Someone else reaped it (`ECHILD`): a foreign `waitpid(-1)`, or `SIGCHLD` ignored.
        case lost
    }

    /// Before `posix_spawn`: holds sweeps back until `spawnDidEnd`.
    static func spawnWillStart() {
        children.withLock { $0.spawning += 1 }
    }

    /// After `posix_spawn`: lists `pid` (nil when the spawn failed) as a runner's child.
    static func spawnDidEnd(pid: pid_t?) {
        let observers = children.withLock { table -> [ProcessWatch] in
            table.spawning -= 1
            if let pid { table.leaders.insert(pid) }
            return table.sweepPending && table.spawning == 0 ? sweep(&table) : []
        }
        notify(observers)
    }

    /// Reaps the runner's child `pid`, which has exited (its pidfd is readable). With
    /// `pidfd` -1, waits for `pid` itself (only for a child just sent SIGKILL).
    static func reap(pid: pid_t, pidfd: Int32) -> ChildStatus {
        let (status, observers) = children.withLock { table -> (ChildStatus, [ProcessWatch]) in
            var info = siginfo_t()
            var result: Int32
            repeat {
                result = pidfd >= 0 ? waitid(P_PIDFD, id_t(pidfd), &info, WEXITED) : waitid(P_PID, id_t(pid), &info, WEXITED)
            } while result < 0 && errno == EINTR
            table.leaders.remove(pid)
            let observers = table.sweepPending && table.spawning == 0 ? sweep(&table) : []
            guard result == 0 else { return (.lost, observers) }
            let code = info.si_code
            let value = info._sifields._sigchld.si_status
            return (code == Int32(CLD_EXITED) ? .exited(value) : .signaled(value), observers)
        }
        notify(observers)
        return status
    }

    /// Reaps the orphaned members of group `pgid`, whose leader the caller has reaped, now and
    /// after every `SIGCHLD`, posting `.groupChanged` to `watch` whenever a sweep reaps
    /// anything, until `stopObservingGroup(pgid)`.
    static func observeGroup(_ pgid: pid_t, with watch: ProcessWatch) {
        notify(
            children.withLock { table in
                table.groupObservers[pgid] = watch
                return sweep(&table)
            })
    }

    static func stopObservingGroup(_ pgid: pid_t) {
        _ = children.withLock { $0.groupObservers.removeValue(forKey: pgid) }
    }

    // MARK: Sweeping

    private struct ChildTable {
        var isSubreaper = false
        /// `posix_spawn` calls in progress.
        var spawning = 0
        /// Children started by a runner and not yet reaped by it.
        var leaders: Set<pid_t> = []
        /// A sweep stopped early (at a listed zombie, or during a spawn) and must run again.
        var sweepPending = false
        var groupObservers: [pid_t: ProcessWatch] = [:]
    }

    private static let children = Mutex(ChildTable())

    static func sweep() {
        notify(children.withLock { sweep(&$0) })
    }

    /// Reaps the zombie orphans of steps (see the type's documentation).
    /// - Returns: the group observers to notify when anything was reaped.
    private static func sweep(_ table: inout ChildTable) -> [ProcessWatch] {
        guard table.isSubreaper else { return [] }
        guard table.spawning == 0 else {
            table.sweepPending = true
            return []
        }
        table.sweepPending = false
        var reaped = false
        for group in table.groupObservers.keys {
            var info = siginfo_t()
            while waitid(P_PGID, id_t(group), &info, WEXITED | WNOHANG) == 0 && info._sifields._sigchld.si_pid != 0 {
                reaped = true
                info = siginfo_t()
            }
        }
        let session = getsid(0)
        while true {
            var info = siginfo_t()
            guard waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { break }  // ECHILD
            let pid = info._sifields._sigchld.si_pid
            if pid == 0 { break }  // no child has exited
            if table.leaders.contains(pid) {
                table.sweepPending = true
                break
            }
            let group = getpgid(pid)
            guard table.leaders.contains(group) || table.groupObservers[group] != nil || getsid(pid) != session else { break }
            var ignored = siginfo_t()
            _ = waitid(P_PID, id_t(pid), &ignored, WEXITED | WNOHANG)
            reaped = true
        }
        return reaped ? Array(table.groupObservers.values) : []
    }

    private static func notify(_ observers: [ProcessWatch]) {
        for watch in observers { watch.post(.groupChanged) }
    }

    private static func installSIGCHLDHandler(wakeDescriptor: Int32) {
        signalWakeDescriptor = wakeDescriptor
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = sigchldHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP
        sigaction(SIGCHLD, &action, &previousSIGCHLDAction)
    }
}

/// Read by the SIGCHLD handler. Safe without a lock: written once, inside
/// `becomeSubreaper` before `sigaction` installs the handler (a system call, so the store is
/// visible to every thread that later runs the handler), and never written again.
nonisolated(unsafe) private var signalWakeDescriptor: Int32 = -1
/// Written by that same `sigaction` call (as its "old action" output), then only read.
nonisolated(unsafe) private var previousSIGCHLDAction = sigaction()

/// Async-signal-safe: one `write` to a non-blocking pipe (a full pipe already means "wake"),
/// `errno` preserved, then the previous handler, if it was a function.
private let sigchldHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
    signal, info, context in
    let savedErrno = errno
    var byte: UInt8 = 1
    _ = write(signalWakeDescriptor, &byte, 1)
    errno = savedErrno
    let previous = previousSIGCHLDAction
    if previous.sa_flags & SA_SIGINFO != 0 {
        previous.__sigaction_handler.sa_sigaction?(signal, info, context)
    } else if let handler = previous.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) > 1 {
        handler(signal)  // 0 is SIG_DFL, 1 is SIG_IGN
    }
}
