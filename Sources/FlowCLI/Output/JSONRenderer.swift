import FlowCore
import FlowStore
import Foundation

/// `--output json`: one JSON object per line per event (keys sorted), for scripts. Log bytes
/// are decoded as UTF-8 with U+FFFD for invalid sequences. See docs/cli.md for the fields.
final class JSONRenderer: RunRenderer, Sendable {
    let console: Console

    init(console: Console) {
        self.console = console
    }

    func handle(_ event: RunEvent) {
        var object: [String: Any]
        switch event {
        case .runStarted(let id, let at):
            object = ["event": "runStarted", "run": id.rawValue, "time": Self.time(at)]
        case .stepStarted(let id, let attempt, let pid, let at):
            object = ["event": "stepStarted", "step": id.rawValue, "attempt": attempt, "time": Self.time(at)]
            if let pid { object["pid"] = Int(pid) }
        case .stepOutput(let id, let attempt, let stream, let bytes, let continued, let at):
            object = [
                "event": "stepOutput", "step": id.rawValue, "attempt": attempt, "stream": stream.rawValue,
                "line": String(decoding: bytes, as: UTF8.self), "continued": continued, "time": Self.time(at),
            ]
        case .attemptFinished(let id, let attempt, let outcome, let willRetry, let at):
            object = [
                "event": "attemptFinished", "step": id.rawValue, "attempt": attempt,
                "status": outcome.status.rawValue, "willRetry": willRetry, "time": Self.time(at),
            ]
            Self.add(outcome, to: &object)
        case .stepFinished(let id, let outcome, let tolerated, let outputs, let attempts, let at):
            object = [
                "event": "stepFinished", "step": id.rawValue, "status": outcome.status.rawValue,
                "tolerated": tolerated, "outputs": outputs, "attempts": attempts, "time": Self.time(at),
            ]
            Self.add(outcome, to: &object)
        case .runFinished(let id, let status, let at):
            object = ["event": "runFinished", "run": id.rawValue, "status": status.rawValue, "time": Self.time(at)]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        console.out(String(decoding: data, as: UTF8.self) + "\n")
    }

    func finish(status: RunStatus) {}

    static func add(_ outcome: StepOutcome, to object: inout [String: Any]) {
        switch outcome {
        case .failed(let exit, let signal, let reason):
            if let exit { object["exitCode"] = Int(exit) }
            if let signal { object["signal"] = Int(signal) }
            if let reason { object["reason"] = reason }
        case .skipped(let reason), .interrupted(let reason):
            object["reason"] = reason
        default:
            break
        }
    }

    static func time(_ date: Date) -> String { Timestamp.format(date) }
}
