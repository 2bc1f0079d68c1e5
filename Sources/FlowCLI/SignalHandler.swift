import Dispatch
import FlowEngine
import Foundation

/// Turns SIGINT and SIGTERM into run cancellation: the first stops the running steps (their
/// process groups get TERM, then KILL after the grace period) and lets `always()` steps run;
/// the second stops everything.
final class SignalHandler: @unchecked Sendable {
    // @unchecked: `sources` is set once in init and never mutated; DispatchSource's
    // `cancel` may be called from any thread.
    private let sources: [any DispatchSourceSignal]

    init(control: RunControl, console: Console) {
        var sources: [any DispatchSourceSignal] = []
        for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                let first = control.level == 0
                control.cancel(reason: "cancelled by \(name)")
                console.err(
                    first
                        ? "\n\(name): cancelling the run (again to stop cleanup steps too)\n"
                        : "\n\(name): stopping everything\n")
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func stop() {
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
