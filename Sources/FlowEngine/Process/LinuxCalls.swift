import Glibc

/// Glibc and Linux calls that Swift's `Glibc` module does not import (they sit behind
/// `_GNU_SOURCE` or in headers its module map leaves out: `sys/epoll.h`, `sys/eventfd.h`,
/// `sys/pidfd.h`, `sys/prctl.h`), looked up once in the running C library with `dlsym`.
///
/// Each wrapper returns what the C function returns (`-1` with `errno` set, or an error number
/// for the `posix_spawn…` family); constants are the values of the Linux UAPI headers.
enum LinuxCalls {
    // MARK: Constants (linux/eventpoll.h, linux/prctl.h)

    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollEdgeTriggered: UInt32 = 1 << 31
    static let epollAdd: Int32 = 1
    static let epollDelete: Int32 = 2
    static let setChildSubreaper: Int32 = 36

    /// `struct epoll_event` is packed on x86-64 (12 bytes) and naturally aligned elsewhere
    /// (16 bytes); `events` is at offset 0 and the 64-bit `data` after it.
    #if arch(x86_64)
        static let epollEventSize = 12
        static let epollDataOffset = 4
    #else
        static let epollEventSize = 16
        static let epollDataOffset = 8
    #endif

    // MARK: Functions

    private typealias IntToInt = @convention(c) (Int32) -> Int32
    private typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias Syscall3 = @convention(c) (Int, Int, Int, Int) -> Int
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// `prctl` and `syscall` are variadic in C; on the System V x86-64 and AAPCS64 (Linux)
    /// ABIs integer arguments of a variadic call travel exactly as in a fixed-argument call,
    /// so calling them through a fixed prototype is sound there.
    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    private struct Table: @unchecked Sendable {
        // @unchecked: every member is an immutable C function pointer, set once in `init`.
        let epollCreate1: IntToInt
        let epollCtl: EpollControl
        let epollWait: EpollWait
        let eventfd: EventFD
        let pipe2: Pipe2
        let pidfdOpen: PidfdOpen?
        let syscall: Syscall3?
        let addCloseFrom: AddCloseFrom?
        let addChdir: AddChdir?
        let prctl: Prctl

        init() {
            let handle = dlopen(nil, RTLD_NOW)
            func symbol<T>(_ name: String, _ type: T.Type) -> T? {
                guard let pointer = dlsym(handle, name) else { return nil }
                return unsafeBitCast(pointer, to: type)
            }
            // Present in every glibc since 2.9; a missing one means a foreign C library.
            guard let epollCreate1 = symbol("epoll_create1", IntToInt.self),
                let epollCtl = symbol("epoll_ctl", EpollControl.self),
                let epollWait = symbol("epoll_wait", EpollWait.self),
                let eventfd = symbol("eventfd", EventFD.self),
                let pipe2 = symbol("pipe2", Pipe2.self),
                let prctl = symbol("prctl", Prctl.self)
            else { fatalError("the C library lacks epoll/eventfd/pipe2/prctl; flow needs glibc on Linux") }
            self.epollCreate1 = epollCreate1
            self.epollCtl = epollCtl
            self.epollWait = epollWait
            self.eventfd = eventfd
            self.pipe2 = pipe2
            self.prctl = prctl
            pidfdOpen = symbol("pidfd_open", PidfdOpen.self)  // glibc ≥ 2.36
            syscall = symbol("syscall", Syscall3.self)
            addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np", AddCloseFrom.self)  // ≥ 2.34
            addChdir = symbol("posix_spawn_file_actions_addchdir_np", AddChdir.self)  // ≥ 2.29
        }
    }

    private static let table = Table()

    static func epollCreate() -> Int32 { table.epollCreate1(O_CLOEXEC) }

    static func epollControl(_ epoll: Int32, _ operation: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { event in
            event.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            event.baseAddress!.advanced(by: epollDataOffset).storeBytes(of: data, as: UInt64.self)
            return table.epollCtl(epoll, operation, fd, event.baseAddress)
        }
    }

    /// `events` holds `capacity` records of `epollEventSize` bytes.
    static func epollWait(_ epoll: Int32, _ events: UnsafeMutableRawPointer, capacity: Int32, timeoutMilliseconds: Int32) -> Int32 {
        table.epollWait(epoll, events, capacity, timeoutMilliseconds)
    }

    /// A non-blocking, close-on-exec eventfd with counter 0.
    static func eventFD() -> Int32 { table.eventfd(0, O_CLOEXEC | O_NONBLOCK) }

    /// `fds[0]` is the read end, `fds[1]` the write end.
    static func pipe(_ fds: inout (Int32, Int32), flags: Int32) -> Int32 {
        var pair: [Int32] = [-1, -1]
        let result = pair.withUnsafeMutableBufferPointer { table.pipe2($0.baseAddress, flags) }
        fds = (pair[0], pair[1])
        return result
    }

    /// A pidfd for `pid` (close-on-exec by definition); `-1` with `errno` on failure.
    static func pidfdOpen(_ pid: pid_t) -> Int32 {
        if let open = table.pidfdOpen { return open(pid, 0) }
        guard let syscall = table.syscall else {
            errno = ENOSYS
            return -1
        }
        // SYS_pidfd_open is 434 on every architecture (it postdates the unified numbering).
        return Int32(truncatingIfNeeded: syscall(434, Int(pid), 0, 0))
    }

    /// Adds "close every descriptor ≥ `lowest`"; returns `ENOSYS` when glibc lacks it.
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) -> Int32 {
        guard let add = table.addCloseFrom else { return ENOSYS }
        return add(&actions, lowest)
    }

    /// Adds a `chdir(path)` before the exec; returns `ENOSYS` when glibc lacks it.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        guard let add = table.addChdir else { return ENOSYS }
        return path.withCString { add(&actions, $0) }
    }

    static func prctl(_ option: Int32, _ argument: UInt) -> Int32 {
        table.prctl(option, argument, 0, 0, 0)
    }

    /// Whether the child behind `pidfd` has exited (a zombie waiting to be reaped), without
    /// reaping it: `waitid(P_PIDFD, WEXITED | WNOHANG | WNOWAIT)`.
    static func hasExited(pidfd: Int32) -> Bool {
        var info = siginfo_t()
        var result: Int32
        repeat {
            result = waitid(P_PIDFD, id_t(pidfd), &info, WEXITED | WNOHANG | WNOWAIT)
        } while result < 0 && errno == EINTR
        return result == 0 && info._sifields._sigchld.si_pid != 0
    }

    /// The calling thread's kernel id (`gettid(2)`); equal to `getpid()` on the main thread.
    static func threadID() -> pid_t {
        #if arch(x86_64)
            let number = 186  // SYS_gettid, asm/unistd_64.h
        #else
            let number = 178  // SYS_gettid, asm-generic/unistd.h (aarch64)
        #endif
        guard let syscall = table.syscall else { return -1 }
        return pid_t(truncatingIfNeeded: syscall(number, 0, 0, 0))
    }

    /// Nanoseconds on `CLOCK_MONOTONIC` (not affected by wall-clock changes).
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// The text of an error number, as `strerror` gives it ("No such file or directory").
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `0...UInt64.max / 2` (negative durations are 0).
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds < 0) { return 0 }
        if seconds >= 4_000_000_000 { return UInt64.max / 2 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
