import FlowEngine
import Synchronization

/// Collects a step's log lines, for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var log: StepLog {
        StepLog { _, bytes, _ in self.lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
    }

    var all: [String] { lines.withLock { $0 } }
}
