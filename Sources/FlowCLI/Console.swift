import Foundation
import Synchronization

/// Writes to standard output and standard error from any task, a whole line at a time.
/// Output is buffered per call and written with one `write(2)`, so lines never interleave.
public final class Console: Sendable {
    private let lock = Mutex(())
    /// Whether standard output is a terminal (live view, colours).
    public let isTerminal: Bool
    public let colors: Bool

    public init(environment: [String: String]? = nil) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        isTerminal = isatty(STDOUT_FILENO) == 1
        colors = isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    public func out(_ text: String) { write(STDOUT_FILENO, text) }
    public func err(_ text: String) { write(STDERR_FILENO, text) }

    /// Writes raw bytes to standard output (log lines with invalid UTF-8 pass through).
    public func out(bytes: [UInt8]) {
        lock.withLock { _ in Self.writeAll(STDOUT_FILENO, bytes) }
    }

    private func write(_ fd: Int32, _ text: String) {
        lock.withLock { _ in Self.writeAll(fd, Array(text.utf8)) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    /// ANSI colour `code` around `text` when colours are on.
    public func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
