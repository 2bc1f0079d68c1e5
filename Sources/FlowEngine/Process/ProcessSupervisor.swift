import Glibc

/// The life of one running process, driven by the task that called `ProcessRunner.run`:
/// reading its pipes, feeding its input, enforcing its timeout, stopping its group.
///
/// States: running → (exit seen) draining → finished; running → (timeout or cancellation)
/// SIGTERM sent → (`killGrace`) SIGKILL sent → exit seen → draining → finished. Draining ends
/// when both pipes reach end of file, or `drainPeriod` after the exit (after the SIGKILL when
/// one was sent late), or at a cancellation.
struct ProcessSupervisor {
    private let request: ProcessRequest
    private var loop: EventLoop
    private let watch = ProcessWatch()
    private let onOutput: @Sendable ([OutputLine]) -> Void
    private let pid: pid_t
    private var pidfd: Int32
    private var stdout: OutputPipe
    private var stderr: OutputPipe
    private var stdin: Int32
    private var pendingInput: ArraySlice<UInt8>
    private var stdinWritable = false

    private var exitSeen = false
    /// `.timedOut` or `.cancelled` once SIGTERM went out.
    private var stopReason: ProcessTermination?
    // Instants below are CLOCK_MONOTONIC nanoseconds.
    private var timeoutAt: UInt64?
    private var killAt: UInt64?
    private var killSent = false
    private var drainUntil: UInt64?
    /// The deadline last given to the event loop.
    private var deadline: UInt64?

    init(process: SpawnedProcess, request: ProcessRequest, loop: EventLoop, onOutput: @escaping @Sendable ([OutputLine]) -> Void) {
        self.request = request
        self.loop = loop
        self.onOutput = onOutput
        pid = process.pid
        pidfd = process.pidfd
        stdout = OutputPipe(fd: process.stdout, splitter: LineSplitter(stream: .stdout, maxLineBytes: request.maxLineBytes))
        stderr = OutputPipe(fd: process.stderr, splitter: LineSplitter(stream: .stderr, maxLineBytes: request.maxLineBytes))
        stdin = process.stdin
        pendingInput = process.pendingInput
    }

    mutating func run() async -> ProcessTermination {
        if !loop.add(watch), case .success(let shared) = EventLoop.shared {
            loop = shared  // the run's private loop has ended: this task outlived its run
            loop.add(watch)
        }
        var registration: Int32 = 0
        for (fd, source) in [(stdout.fd, EventLoop.Source.stdout), (stderr.fd, .stderr), (stdin, .stdin), (pidfd, .exit)]
        where fd >= 0 && registration == 0 {
            registration = loop.watch(fd: fd, as: source, for: watch)
        }
        if registration != 0 {
            // epoll refused (ENOMEM/ENOSPC): stop the child rather than run it unwatched.
            signalGroup(SIGKILL)
            _ = await finish()
            return .failedToStart("\(LinuxCalls.errorText(registration)): event loop")
        }
        if let timeout = request.timeout {
            timeoutAt = LinuxCalls.monotonicNanoseconds() &+ timeout.clampedNanoseconds
        }
        updateDeadline()
        let watch = self.watch
        let escalation = Escalation.current
        let token = escalation?.add { watch.post(.killNow) }
        defer { if let token { escalation?.remove(token) } }
        return await withTaskCancellationHandler {
            await supervise()
        } onCancel: {
            watch.post(.cancelled)
        }
    }

    private mutating func supervise() async -> ProcessTermination {
        while true {
            let events: ProcessEvents
            if stdout.hasMore || stderr.hasMore {
                await Task.yield()
                events = watch.take()
            } else {
                events = await watch.next()
            }
            // An exited process has usually closed its pipes too (its descriptors close before
            // its parent is told): read them now rather than wait for their own events.
            if events.contains(.stdout) || events.contains(.exited) { stdout.isReadable = true }
            if events.contains(.stderr) || events.contains(.exited) { stderr.isReadable = true }
            if events.contains(.stdin) { stdinWritable = true }
            if events.contains(.deadline) { deadline = nil }
            stdout.read(loop: loop, onOutput: onOutput)
            stderr.read(loop: loop, onOutput: onOutput)
            writeInput()

            var exited = events.contains(.exited)
            if !exited, !exitSeen, !stdout.isOpen, !stderr.isOpen, pidfd >= 0 {
                // Both pipes ended: the process has most likely exited already; look now
                // instead of waiting for the pidfd's own event.
                exited = LinuxCalls.hasExited(pidfd: pidfd)
            }
            let now = LinuxCalls.monotonicNanoseconds()
            if exited && !exitSeen {
                exitSeen = true
                closeInput()
                if stopReason == nil || killSent { drainUntil = now &+ ProcessRunner.drainPeriod }
            }
            if events.contains(.cancelled) || events.contains(.killNow) {
                if exitSeen { break }
                if stopReason == nil { stop(.cancelled, now: now) }
            }
            if events.contains(.killNow), !killSent {
                killAt = now  // the grace is over: SIGKILL below
            }
            if !exitSeen, stopReason == nil, let timeoutAt, now >= timeoutAt {
                stop(.timedOut, now: now)
            }
            if let killAt, !killSent, now >= killAt {
                signalGroup(SIGKILL)
                killSent = true
                if exitSeen { drainUntil = now &+ ProcessRunner.drainPeriod }
            }
            if exitSeen {
                if !stdout.isOpen && !stderr.isOpen { break }
                if let drainUntil, now >= drainUntil { break }
            }
            updateDeadline()
        }
        return await finish()
    }

    /// SIGTERM and SIGCONT (a stopped process acts on SIGTERM only once continued) to the
    /// group and to the descendants that left it (`descendantMarks`); SIGKILL follows after
    /// `killGrace`.
    private mutating func stop(_ reason: ProcessTermination, now: UInt64) {
        stopReason = reason
        signalGroup(SIGTERM)
        signalGroup(SIGCONT)
        if !request.descendantMarks.isEmpty {
            // Descendants that left the group get the same warning; the caller SIGKILLs those
            // still there once the group is gone.
            for escapee in LeftoverProcesses.carrying(request.descendantMarks) where getpgid(escapee) != pid {
                kill(escapee, SIGTERM)
                kill(escapee, SIGCONT)
            }
        }
        killAt = now &+ request.killGrace.clampedNanoseconds
        if killAt! <= now {
            signalGroup(SIGKILL)
            killSent = true
        }
    }

    private func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    private mutating func updateDeadline() {
        var next: UInt64? = nil
        func consider(_ candidate: UInt64?) {
            if let candidate { next = min(next ?? .max, candidate) }
        }
        if !exitSeen && stopReason == nil { consider(timeoutAt) }
        if !killSent { consider(killAt) }
        if exitSeen { consider(drainUntil) }
        if next != deadline {
            loop.setDeadline(next, for: watch)
            deadline = next
        }
    }

    private mutating func writeInput() {
        guard stdin >= 0, stdinWritable else { return }
        while !pendingInput.isEmpty {
            let (written, code) = pendingInput.withUnsafeBytes { Self.writeWithoutSIGPIPE(stdin, $0) }
            if written > 0 {
                pendingInput = pendingInput.dropFirst(written)
            } else if code == EINTR {
                continue
            } else if code == EAGAIN {
                stdinWritable = false
                return
            } else {
                break  // EPIPE: the process closed its standard input; the rest is dropped
            }
        }
        closeInput()
    }

    private mutating func closeInput() {
        guard stdin >= 0 else { return }
        loop.closeWatched(stdin)
        stdin = -1
        pendingInput = []
    }

    /// `write` that turns a vanished reader into `EPIPE` without the process-killing SIGPIPE:
    /// the signal (directed at the writing thread) is blocked on this thread for the call and,
    /// if the write raised it, consumed with `sigtimedwait` before the mask is restored.
    /// - Returns: the byte count (or -1) and `errno`.
    private static func writeWithoutSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (Int, Int32) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var pending = sigset_t()
        sigpending(&pending)
        let alreadyPending = sigismember(&pending, SIGPIPE) == 1
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        let written = write(fd, bytes.baseAddress, bytes.count)
        let code = written < 0 ? errno : 0
        if code == EPIPE && !alreadyPending {
            var noWait = timespec()
            while sigtimedwait(&pipeSignal, nil, &noWait) < 0 && errno == EINTR {}
        }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        return (written, code)
    }

    /// Kills what is left of the group, collects the exit status, and waits for the group to
    /// empty when this process is a subreaper.
    private mutating func finish() async -> ProcessTermination {
        // The main process is a zombie until reaped below, which keeps its pid — the group's
        // id — from being reused: this SIGKILL cannot reach an unrelated group.
        signalGroup(SIGKILL)
        stdout.close(loop: loop, onOutput: onOutput)
        stderr.close(loop: loop, onOutput: onOutput)
        closeInput()
        let status = Reaper.reap(pid: pid, pidfd: pidfd)
        loop.closeWatched(pidfd)
        pidfd = -1
        if Reaper.isSubreaper { await waitForEmptyGroup() }
        loop.remove(watch)
        if let stopReason { return stopReason }
        switch status {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        case .lost: return .failedToStart("\(LinuxCalls.errorText(ECHILD)): the exit status of pid \(pid) was collected elsewhere")
        }
    }

    /// Waits until no process is left in the group (`kill(-pgid, 0)` fails with `ESRCH`): its
    /// members were sent SIGKILL and, orphaned, are reaped by `Reaper`'s sweep, which wakes
    /// this task. Gives up after `groupReapLimit`.
    private mutating func waitForEmptyGroup() async {
        // The usual case — nothing was left behind — costs one kill(2): no sweep, and no
        // deadline, whose setting would wake the event loop thread.
        if kill(-pid, 0) != 0 && errno == ESRCH { return }
        Reaper.observeGroup(pid, with: watch)
        defer { Reaper.stopObservingGroup(pid) }
        let limit = LinuxCalls.monotonicNanoseconds() &+ ProcessRunner.groupReapLimit
        loop.setDeadline(limit, for: watch)
        while kill(-pid, 0) == 0 || errno != ESRCH {
            if LinuxCalls.monotonicNanoseconds() >= limit { break }
            _ = await watch.next()
        }
        loop.setDeadline(nil, for: watch)
    }
}

/// The parent's read end of a standard output or error pipe, and its unfinished line.
private struct OutputPipe {
    var fd: Int32
    var splitter: LineSplitter
    /// An edge arrived and no read has hit `EAGAIN` since.
    var isReadable = false

    init(fd: Int32, splitter: LineSplitter) {
        self.fd = fd
        self.splitter = splitter
    }

    /// 64 KiB reads, at most 16 per pipe before the task yields to other tasks.
    private static let readSize = 64 * 1024
    private static let readsPerTurn = 16

    var isOpen: Bool { fd >= 0 }
    /// More may be readable now, without waiting for an event.
    var hasMore: Bool { isOpen && isReadable }

    /// Reads until `EAGAIN`, end of file, or the per-turn budget; delivers lines per read.
    mutating func read(loop: EventLoop, onOutput: @Sendable ([OutputLine]) -> Void) {
        guard hasMore else { return }
        withUnsafeTemporaryAllocation(byteCount: Self.readSize, alignment: 16) { buffer in
            for _ in 0..<Self.readsPerTurn {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count > 0 {
                    var lines: [OutputLine] = []
                    splitter.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), into: &lines)
                    if !lines.isEmpty { onOutput(lines) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else if count < 0 && errno == EAGAIN {
                    isReadable = false
                    return
                } else {
                    close(loop: loop, onOutput: onOutput)  // end of file (or a read error)
                    return
                }
            }
        }
    }

    /// Delivers the unfinished line, if any, and closes the pipe.
    mutating func close(loop: EventLoop, onOutput: @Sendable ([OutputLine]) -> Void) {
        guard isOpen else { return }
        var lines: [OutputLine] = []
        splitter.finish(into: &lines)
        if !lines.isEmpty { onOutput(lines) }
        loop.closeWatched(fd)
        fd = -1
        isReadable = false
    }
}
