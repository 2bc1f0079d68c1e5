import Glibc
import Synchronization

/// One thread blocked in `epoll_wait` over the pipes and pidfds of every running process of a
/// `ProcessRunner`, turning readiness and deadlines into `ProcessEvents` posted to each
/// process's `ProcessWatch`. It never reads or writes process data itself: the supervising
/// task does, so a slow `onOutput` slows only its own process (the pipe fills and the writer
/// blocks), and memory stays bounded.
///
/// Descriptors are registered edge-triggered (`EPOLLET`): the task reads until `EAGAIN`
/// before it waits again, and a pidfd (readable from exit until reaped) fires once.
/// The epoll data of a descriptor is `watch.id << 3 | source`, so a late event for a
/// descriptor already removed finds no watch and is dropped.
final class EventLoop: Sendable {
    /// What a registered descriptor is, in the low 3 bits of its epoll data.
    enum Source: UInt64 {
        case wake = 0
        case stdout, stderr, stdin, exit

        var events: ProcessEvents {
            switch self {
            case .wake: []
            case .stdout: .stdout
            case .stderr: .stderr
            case .stdin: .stdin
            case .exit: .exited
            }
        }
    }

    private struct State {
        var watches: [UInt64: ProcessWatch] = [:]
        /// Monotonic nanoseconds, by watch id.
        var deadlines: [UInt64: UInt64] = [:]
        /// The deadline the loop sleeps until; 0 while it is awake (it recomputes before it
        /// sleeps again), `.max` when it sleeps without a deadline.
        var sleepingUntil: UInt64 = 0
        var stopping = false
    }

    private let epoll: Int32
    private let wake: Int32
    private let state = Mutex(State())

    /// Creates the epoll instance and starts the thread.
    /// - Returns: nil with `errno` set when a descriptor or the thread cannot be created.
    static func start() -> EventLoop? {
        let epoll = LinuxCalls.epollCreate()
        guard epoll >= 0 else { return nil }
        let wake = LinuxCalls.eventFD()
        guard wake >= 0 else {
            close(epoll)
            return nil
        }
        let interest = LinuxCalls.epollIn | LinuxCalls.epollEdgeTriggered
        guard LinuxCalls.epollControl(epoll, LinuxCalls.epollAdd, wake, events: interest, data: Source.wake.rawValue) == 0 else {
            close(wake)
            close(epoll)
            return nil
        }
        let loop = EventLoop(epoll: epoll, wake: wake)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(loop).toOpaque()
        let result = pthread_create(
            &thread, nil,
            { box in
                let loop = Unmanaged<EventLoop>.fromOpaque(box!).takeRetainedValue()
                loop.runLoop()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            close(wake)
            close(epoll)
            errno = result
            return nil
        }
        pthread_detach(thread)
        return loop
    }

    private init(epoll: Int32, wake: Int32) {
        self.epoll = epoll
        self.wake = wake
    }

    /// Makes `watch` receive events; before any `watch(fd:…)` for it.
    func add(_ watch: ProcessWatch) {
        state.withLock { $0.watches[watch.id] = watch }
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
            guard let nanoseconds else { return false }
            return nanoseconds < state.sleepingUntil
        }
        if mustWake { signalWake() }
    }

    /// Ends the thread; the loop must have no watches left.
    func shutdown() {
        state.withLock { $0.stopping = true }
        signalWake()
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

    private func runLoop() {
        let capacity = 128
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity * LinuxCalls.epollEventSize, alignment: 8)
        defer {
            buffer.deallocate()
            close(wake)
            close(epoll)
        }
        var posts: [(ProcessWatch, ProcessEvents)] = []
        while true {
            let timeout = state.withLock { state -> Int32? in
                if state.stopping { return nil }
                let earliest = state.deadlines.values.min() ?? .max
                state.sleepingUntil = earliest
                if earliest == .max { return -1 }
                let now = LinuxCalls.monotonicNanoseconds()
                if earliest <= now { return 0 }
                // Round up so the loop does not wake a moment early and spin.
                return Int32(clamping: (earliest - now + 999_999) / 1_000_000)
            }
            guard let timeout else { return }
            let count = LinuxCalls.epollWait(epoll, buffer, capacity: Int32(capacity), timeoutMilliseconds: timeout)
            if count < 0 && errno != EINTR { fatalError("epoll_wait failed: \(LinuxCalls.errorText(errno))") }
            var woken = false
            state.withLock { state in
                state.sleepingUntil = 0
                for index in 0..<max(0, Int(count)) {
                    let data = buffer.loadUnaligned(
                        fromByteOffset: index * LinuxCalls.epollEventSize + LinuxCalls.epollDataOffset, as: UInt64.self)
                    guard let source = Source(rawValue: data & 7) else { continue }
                    if source == .wake {
                        woken = true
                    } else if let watch = state.watches[data >> 3] {
                        Self.merge(watch, source.events, into: &posts)
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
            // One post per watch and batch, so a task wakes once for its pipes and its exit.
            for (watch, events) in posts { watch.post(events) }
            posts.removeAll(keepingCapacity: true)
        }
    }
}
