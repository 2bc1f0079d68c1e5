import Dispatch
import Glibc
import Synchronization

/// SIGTERM and SIGINT as a stream of signal numbers, for the two-step stops of `flow run` (the
/// first cancels the running steps, a second the `always()` steps too) and of `flow daemon`
/// (the first begins the graceful shutdown, a second cancels the running steps at once).
///
/// While any instance listens, the two signals do not end the process: a handler of ours,
/// installed with `sigaction` before `init` returns, writes each signal's number to a pipe
/// (async-signal-safe), and a Dispatch read source hands the numbers to every listening
/// instance. A signal that arrives in the first microseconds is therefore kept in the pipe,
/// not lost: libdispatch's own signal sources register asynchronously, and until they have,
/// a signal set to `SIG_IGN` is dropped. As PID 1 in a container this is also what lets
/// `docker stop`'s SIGTERM in: the kernel drops signals to a namespace's init that has no
/// handler. Children do not inherit the handler (exec resets it; `posix_spawn` here resets
/// every signal to its default).
public final class StopSignals: Sendable {
    /// Each SIGTERM or SIGINT, in the order they came.
    public let received: AsyncStream<Int32>
    private let sink: AsyncStream<Int32>.Continuation
    private let token: Int

    /// Starts listening: the two signals no longer end the process.
    public init() {
        let (stream, sink) = AsyncStream<Int32>.makeStream()
        received = stream
        self.sink = sink
        token = Hub.shared.listen(sink)
    }

    /// Stops listening; when no instance listens any more, the signals end the process again.
    public func stop() {
        Hub.shared.stopListening(token)
        sink.finish()
    }

    /// `SIGTERM` or `SIGINT`.
    public static func name(_ number: Int32) -> String {
        number == SIGINT ? "SIGINT" : "SIGTERM"
    }

    /// The process-wide pipe, handler and read source, shared by all instances.
    private final class Hub: @unchecked Sendable {
        // @unchecked: `source` is set once in init and never touched again (it is kept only to
        // stay alive); everything else is immutable or behind `listeners`' lock.
        static let shared = Hub()

        private struct Listeners {
            var sinks: [Int: AsyncStream<Int32>.Continuation] = [:]
            var nextToken = 0
        }

        private let listeners = Mutex(Listeners())
        // Kept alive for the life of the process: signals may come at any time.
        private let source: any DispatchSourceRead

        private init() {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { fatalError("cannot create the signal pipe: \(String(cString: strerror(errno)))") }
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, O_NONBLOCK)
            }
            stopSignalWriteEnd.store(ends[1], ordering: .releasing)
            source = DispatchSource.makeReadSource(fileDescriptor: ends[0], queue: .global())
            let readEnd = ends[0]
            source.setEventHandler { [self] in
                var bytes = [UInt8](repeating: 0, count: 64)
                while true {
                    let count = read(readEnd, &bytes, bytes.count)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return }
                    let sinks = self.listeners.withLock { Array($0.sinks.values) }
                    for byte in bytes[0..<count] {
                        for sink in sinks { sink.yield(Int32(byte)) }
                    }
                }
            }
            source.resume()
        }

        func listen(_ sink: AsyncStream<Int32>.Continuation) -> Int {
            listeners.withLock { state in
                if state.sinks.isEmpty {
                    var action = sigaction()
                    action.__sigaction_handler.sa_handler = stopSignalHandler
                    sigemptyset(&action.sa_mask)
                    action.sa_flags = SA_RESTART
                    sigaction(SIGTERM, &action, nil)
                    sigaction(SIGINT, &action, nil)
                }
                state.nextToken += 1
                state.sinks[state.nextToken] = sink
                return state.nextToken
            }
        }

        func stopListening(_ token: Int) {
            listeners.withLock { state in
                guard state.sinks.removeValue(forKey: token) != nil, state.sinks.isEmpty else { return }
                signal(SIGTERM, SIG_DFL)
                signal(SIGINT, SIG_DFL)
            }
        }
    }
}

/// The write end of the hub's pipe; -1 before the hub exists. An atomic, so the handler reads
/// it without a lock (lock-free loads are async-signal-safe).
private let stopSignalWriteEnd = Atomic<Int32>(-1)

/// Async-signal-safe: one `write` of the signal number to a non-blocking pipe, `errno` kept.
private let stopSignalHandler: @convention(c) (Int32) -> Void = { number in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: number)
    let descriptor = stopSignalWriteEnd.load(ordering: .acquiring)
    if descriptor >= 0 { _ = write(descriptor, &byte, 1) }
    errno = savedErrno
}
