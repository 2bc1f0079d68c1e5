import Dispatch
import Glibc

/// SIGTERM and SIGINT as a stream of signal numbers, for the two-step stops of `flow run` (the
/// first cancels the running steps, a second the `always()` steps too) and of `flow daemon`
/// (the first begins the graceful shutdown, a second cancels the running steps at once).
///
/// While it listens, the two signals do not end the process: their disposition is `SIG_IGN`
/// and libdispatch reports them (it reads them through a `signalfd` on Linux). As PID 1 in a
/// container this is also what lets `docker stop`'s SIGTERM in: the kernel drops signals to a
/// namespace's init that has no handler.
public final class StopSignals: @unchecked Sendable {
    // @unchecked: `sources` is set once in init and never mutated; DispatchSource's `cancel`
    // may be called from any thread. `received` is an AsyncStream, which is Sendable.
    private let sources: [any DispatchSourceSignal]
    /// Each SIGTERM or SIGINT, in the order they came.
    public let received: AsyncStream<Int32>

    /// Starts listening: the two signals no longer end the process.
    public init() {
        let (stream, sink) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { sink.yield(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        received = stream
    }

    /// Stops listening; the signals end the process again.
    public func stop() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }

    /// `SIGTERM` or `SIGINT`.
    public static func name(_ number: Int32) -> String {
        number == SIGINT ? "SIGINT" : "SIGTERM"
    }
}
