import Glibc
import Synchronization

/// The one thread of this process that supervises step processes and keeps the runs' books:
/// it waits in `epoll_wait` over the pipes and pidfds of every running process, the `SIGCHLD`
/// wake pipe of `Reaper`, and an eventfd; and it is a task executor (SE-0417 `TaskExecutor`)
/// on which the engine runs a run's bookkeeping (deciding what is ready, starting processes,
/// collecting their ends, telling observers) and each process's supervising task.
///
/// Why one thread for all of it: a `true` step's end used to wake three threads — an event
/// loop thread (the pidfd), the run's own thread (the continuation it resumed) and a reaper
/// thread (`SIGCHLD`) — each wake a futex or pipe hand-off and a context switch, often an
/// inter-processor interrupt. Here the kernel wakes this thread once: it is the only thread
/// with `SIGCHLD` unblocked, so the signal lands on it, and the pidfd, the wake pipe and the
/// resumed task are all its own. (Runs that overlap — in the daemon — get private loops of
/// their own, so that one run cannot hold up another: see `lease()`. Their steps' ends wake
/// their loop and, for SIGCHLD, the shared one.) Work that may be long or CPU-bound — built-in step kinds —
/// runs on the global executor (`SystemAttemptRunner`), and a task that prefers this executor
/// only runs short stretches between waits.
///
/// Readiness and deadlines become `ProcessEvents` posted to each process's `ProcessWatch`;
/// the loop never reads or writes process data itself: the supervising task does, so a slow
/// `onOutput` slows only its own process (the pipe fills and the writer blocks), and memory
/// stays bounded.
///
/// Descriptors are registered edge-triggered (`EPOLLET`): the task reads until `EAGAIN`
/// before it waits again, and a pidfd (readable from exit until reaped) fires once.
/// The epoll data of a descriptor is `watch.id << 3 | source`, so a late event for a
/// descriptor already removed finds no watch and is dropped.
///
/// Jobs run in the order they were enqueued (FIFO; priorities are not reordered). After at
/// most `roundsPerLook` rounds of jobs the loop looks at epoll without waiting, so a task that
/// keeps yielding cannot starve process events or deadlines. The shared loop's thread lives as
/// long as the process; a private loop's ends after `shutdown()`.
final class EventLoop: TaskExecutor, Sendable {
    /// What a registered descriptor is, in the low 3 bits of its epoll data.
    enum Source: UInt64 {
        case wake = 0
        case stdout, stderr, stdin, exit
        /// The read end of `Reaper`'s `SIGCHLD` pipe.
        case childSignal

        var events: ProcessEvents {
            switch self {
            case .wake, .childSignal: []
            case .stdout: .stdout
            case .stderr: .stderr
            case .stdin: .stdin
            case .exit: .exited
            }
        }
    }

    /// Why the loop could not start: the `errno` of `epoll_create1`, `eventfd`, `epoll_ctl`
    /// or `pthread_create`.
    struct StartFailure: Error {
        var code: Int32
    }

    /// The process's loop, started on first use; a failure is final (the process is out of
    /// descriptors or threads). It takes SIGCHLD and sweeps orphans, and lives as long as the
    /// process.
    static let shared: Result<EventLoop, StartFailure> = start(shared: true)

    /// The loop of the calling task's run, set by `Engine.run`; processes started by the run
    /// (its steps, and processes its built-in kinds start) are watched by it. Nil outside runs:
    /// `shared` then.
    @TaskLocal static var current: EventLoop?

    /// A loop for one run (see `lease()`), ended by `shutdown()`.
    static func makePrivate() -> Result<EventLoop, StartFailure> { start(shared: false) }

    /// Runs now using `shared`.
    private static let sharedRuns = Mutex(0)

    /// A loop for a run that is starting: `shared` when no other run uses it (`flow run`: a
    /// step's end then wakes one thread), else a private loop of its own, so that concurrent
    /// runs of a daemon do not wait for each other's bookkeeping (a run whose observer blocks —
    /// the recorder's back-pressure under huge output — stalls only itself).
    /// - Returns: nil when no loop can be started; pass the result to `release(_:)`.
    static func lease() -> EventLoop? {
        guard case .success(let shared) = shared else { return nil }
        let useShared = sharedRuns.withLock { runs -> Bool in
            guard runs == 0 else { return false }
            runs += 1
            return true
        }
        if useShared { return shared }
        switch makePrivate() {
        case .success(let loop): return loop
        case .failure: return nil
        }
    }

    /// Ends a run's use of `loop` (from `lease()`): a private loop's thread ends once its last
    /// job has run and its last process is no longer watched.
    static func release(_ loop: EventLoop) {
        if loop.isShared {
            sharedRuns.withLock { $0 -= 1 }
        } else {
            loop.shutdown()
        }
    }

    private struct State {
        var watches: [UInt64: ProcessWatch] = [:]
        /// Monotonic nanoseconds, by watch id.
        var deadlines: [UInt64: UInt64] = [:]
        /// The deadline the loop sleeps until; 0 while it is awake or already woken (it
        /// recomputes before it sleeps again), `.max` when it sleeps without a deadline.
        var sleepingUntil: UInt64 = 0
        var jobs: [UnownedJob] = []
        /// The read end of the `SIGCHLD` pipe, once `watchChildSignals` registered it.
        var childSignalPipe: Int32 = -1
        /// `shutdown()` was called: the thread ends once no job and no watch is left.
        var stopping = false
        /// The thread has ended: jobs go to the global executor.
        var finished = false
    }

    private let epoll: Int32
    private let wake: Int32
    /// `shared` (takes SIGCHLD, never ends) rather than a run's private loop.
    private let isShared: Bool
    private let state = Mutex(State())

    private static func start(shared: Bool) -> Result<EventLoop, StartFailure> {
        let epoll = LinuxCalls.epollCreate()
        guard epoll >= 0 else { return .failure(StartFailure(code: errno)) }
        let wake = LinuxCalls.eventFD()
        guard wake >= 0 else {
            let code = errno
            close(epoll)
            return .failure(StartFailure(code: code))
        }
        let interest = LinuxCalls.epollIn | LinuxCalls.epollEdgeTriggered
        guard LinuxCalls.epollControl(epoll, LinuxCalls.epollAdd, wake, events: interest, data: Source.wake.rawValue) == 0 else {
            let code = errno
            close(wake)
            close(epoll)
            return .failure(StartFailure(code: code))
        }
        let loop = EventLoop(epoll: epoll, wake: wake, isShared: shared)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(loop).toOpaque()
        let result = pthread_create(
            &thread, nil,
            { box in
                let loop = Unmanaged<EventLoop>.fromOpaque(box!).takeRetainedValue()
                // The shared loop's thread takes SIGCHLD (every other thread of ours blocks it:
                // Dispatch's workers block all signals, `Reaper` blocks it on the main thread,
                // private loops below), so a child's exit wakes this thread only — the one its
                // pidfd wakes anyway.
                var childSignal = sigset_t()
                sigemptyset(&childSignal)
                sigaddset(&childSignal, SIGCHLD)
                pthread_sigmask(loop.isShared ? SIG_UNBLOCK : SIG_BLOCK, &childSignal, nil)
                loop.runLoop()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            close(wake)
            close(epoll)
            return .failure(StartFailure(code: result))
        }
        pthread_detach(thread)
        return .success(loop)
    }

    private init(epoll: Int32, wake: Int32, isShared: Bool) {
        self.epoll = epoll
        self.wake = wake
        self.isShared = isShared
    }

    /// Lets a private loop's thread end once no job is queued and no process is watched; jobs
    /// enqueued after that (a task that outlived its run) run on the global executor.
    func shutdown() {
        state.withLock { $0.stopping = true }
        signalWake()
    }

    // MARK: Executor

    /// Queues `job` to run on the loop's thread, waking it if it waits in `epoll_wait`.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let mustWake = state.withLock { state -> Bool? in
            if state.finished { return nil }
            state.jobs.append(job)
            guard state.sleepingUntil != 0 else { return false }
            state.sleepingUntil = 0
            return true
        }
        guard let mustWake else {
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
            return
        }
        if mustWake { signalWake() }
    }

    // MARK: Processes

    /// Makes `watch` receive events; before any `watch(fd:…)` for it.
    /// - Returns: false when the loop has ended (a private loop after `shutdown()`: a task that
    ///   outlived its run); the caller then uses `shared`. A loop with a watch does not end
    ///   before the watch is removed.
    @discardableResult
    func add(_ watch: ProcessWatch) -> Bool {
        state.withLock { state in
            guard !state.finished else { return false }
            state.watches[watch.id] = watch
            return true
        }
    }

    /// Stops all events and the deadline of `watch`; after its descriptors are closed.
    func remove(_ watch: ProcessWatch) {
        state.withLock {
            $0.watches[watch.id] = nil
            $0.deadlines[watch.id] = nil
        }
    }

    /// Registers `fd` for `watch`: readability, or writability for `.stdin`.
    /// - Returns: 0, or the `errno` of `epoll_ctl`.
    func watch(fd: Int32, as source: Source, for watch: ProcessWatch) -> Int32 {
        let interest = (source == .stdin ? LinuxCalls.epollOut : LinuxCalls.epollIn) | LinuxCalls.epollEdgeTriggered
        let result = LinuxCalls.epollControl(epoll, LinuxCalls.epollAdd, fd, events: interest, data: watch.id << 3 | source.rawValue)
        return result == 0 ? 0 : errno
    }

    /// Deregisters and closes `fd`. Deregistering first matters: a concurrent `posix_spawn`
    /// child may briefly share the open file description, which would keep the epoll
    /// registration alive past `close`.
    func closeWatched(_ fd: Int32) {
        _ = LinuxCalls.epollControl(epoll, LinuxCalls.epollDelete, fd, events: 0, data: 0)
        close(fd)
    }

    /// Posts `.deadline` to `watch` once `CLOCK_MONOTONIC` reaches `nanoseconds`; nil clears it.
    /// One deadline per watch; a new one replaces the old.
    func setDeadline(_ nanoseconds: UInt64?, for watch: ProcessWatch) {
        let mustWake = state.withLock { state -> Bool in
            state.deadlines[watch.id] = nanoseconds
            guard let nanoseconds, nanoseconds < state.sleepingUntil else { return false }
            state.sleepingUntil = 0
            return true
        }
        if mustWake { signalWake() }
    }

    /// Runs `Reaper.sweep()` on this thread whenever `descriptor` — the non-blocking read end of
    /// the pipe `Reaper`'s `SIGCHLD` handler writes to — becomes readable. Once per process.
    /// - Returns: 0, or the `errno` of `epoll_ctl`.
    func watchChildSignals(_ descriptor: Int32) -> Int32 {
        state.withLock { $0.childSignalPipe = descriptor }
        let interest = LinuxCalls.epollIn | LinuxCalls.epollEdgeTriggered
        let result = LinuxCalls.epollControl(epoll, LinuxCalls.epollAdd, descriptor, events: interest, data: Source.childSignal.rawValue)
        return result == 0 ? 0 : errno
    }

    private func signalWake() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }

    private static func merge(_ watch: ProcessWatch, _ events: ProcessEvents, into posts: inout [(ProcessWatch, ProcessEvents)]) {
        if let index = posts.firstIndex(where: { $0.0 === watch }) {
            posts[index].1.formUnion(events)
        } else {
            posts.append((watch, events))
        }
    }

    /// Rounds of queued jobs run between two looks at epoll: jobs that resume further jobs
    /// (a task completing wakes its awaiter) run on without a system call, up to this many
    /// rounds.
    private static let roundsPerLook = 16

    private func runLoop() {
        let capacity = 128
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity * LinuxCalls.epollEventSize, alignment: 8)
        defer {
            buffer.deallocate()
            close(wake)
            close(epoll)
        }
        var posts: [(ProcessWatch, ProcessEvents)] = []
        var batch: [UnownedJob] = []
        let executor = asUnownedTaskExecutor()
        while true {
            // Wait only when no job is queued and no deadline has passed; otherwise just look.
            let look = state.withLock { state -> (Int32, Int32)? in
                if state.stopping && state.jobs.isEmpty && state.watches.isEmpty {
                    state.finished = true
                    return nil
                }
                let earliest = state.deadlines.values.min() ?? .max
                let now = earliest == .max ? 0 : LinuxCalls.monotonicNanoseconds()
                if !state.jobs.isEmpty || earliest <= now {
                    state.sleepingUntil = 0
                    return (0, state.childSignalPipe)
                }
                state.sleepingUntil = earliest
                // Round up so the loop does not wake a moment early and spin.
                let milliseconds = earliest == .max ? -1 : Int32(clamping: (earliest - now + 999_999) / 1_000_000)
                return (milliseconds, state.childSignalPipe)
            }
            guard let (timeout, childSignalPipe) = look else { return }
            let count = LinuxCalls.epollWait(epoll, buffer, capacity: Int32(capacity), timeoutMilliseconds: timeout)
            if count < 0 && errno != EINTR { fatalError("epoll_wait failed: \(LinuxCalls.errorText(errno))") }
            var woken = false
            var childSignal = false
            state.withLock { state in
                state.sleepingUntil = 0
                for index in 0..<max(0, Int(count)) {
                    let data = buffer.loadUnaligned(
                        fromByteOffset: index * LinuxCalls.epollEventSize + LinuxCalls.epollDataOffset, as: UInt64.self)
                    guard let source = Source(rawValue: data & 7) else { continue }
                    switch source {
                    case .wake: woken = true
                    case .childSignal: childSignal = true
                    default: if let watch = state.watches[data >> 3] { Self.merge(watch, source.events, into: &posts) }
                    }
                }
                if !state.deadlines.isEmpty {
                    let now = LinuxCalls.monotonicNanoseconds()
                    for (id, deadline) in state.deadlines where deadline <= now {
                        state.deadlines[id] = nil
                        if let watch = state.watches[id] { Self.merge(watch, .deadline, into: &posts) }
                    }
                }
            }
            if woken {
                var drained: UInt64 = 0
                _ = read(wake, &drained, 8)
            }
            if childSignal {
                var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
                while read(childSignalPipe, &bytes, 32) == 32 {}
                Reaper.sweep()
            }
            // One post per watch and look, so a task wakes once for its pipes and its exit.
            for (watch, events) in posts { watch.post(events) }
            posts.removeAll(keepingCapacity: true)
            for _ in 0..<Self.roundsPerLook {
                state.withLock { swap(&batch, &$0.jobs) }
                if batch.isEmpty { break }
                for job in batch { job.runSynchronously(on: executor) }
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
}
