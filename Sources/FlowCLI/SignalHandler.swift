import FlowEngine
import FlowRuntime
import Foundation

/// Turns SIGINT and SIGTERM into run cancellation: the first stops the running steps (their
/// process groups get TERM, then KILL after the grace period) and lets `always()` steps run;
/// the second stops everything.
final class SignalHandler: Sendable {
    private let signals: StopSignals
    private let follower: Task<Void, Never>

    init(control: RunControl, console: Console) {
        let signals = StopSignals()
        self.signals = signals
        follower = Task {
            for await number in signals.received {
                let name = StopSignals.name(number)
                let first = control.level == 0
                control.cancel(reason: "cancelled by \(name)")
                console.err(
                    first
                        ? "\n\(name): cancelling the run (again to stop cleanup steps too)\n"
                        : "\n\(name): stopping everything\n")
            }
        }
    }

    func stop() {
        signals.stop()
        follower.cancel()
    }
}
