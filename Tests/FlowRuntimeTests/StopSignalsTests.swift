import Glibc
import Testing

@testable import FlowRuntime

@Suite("Stop signals in process")
struct StopSignalsTests {
    @Test("a signal that arrives the moment listening begins is received, not lost", .timeLimit(.minutes(1)))
    func immediateSignal() async {
        // With libdispatch's signal sources, registration is asynchronous and a signal sent
        // right after it (its disposition already SIG_IGN) was dropped: `flow run` then never
        // saw a Ctrl-C that came while its first step was starting.
        for number in [SIGTERM, SIGINT] {
            let signals = StopSignals()
            kill(getpid(), number)
            var iterator = signals.received.makeAsyncIterator()
            let first = await iterator.next()
            signals.stop()
            #expect(first == number)
        }
    }
}
