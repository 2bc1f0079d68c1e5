import Foundation
import Synchronization

/// Writes to standard output and standard error from any task, a whole line at a time.
/// Output is buffered per call and written with one `write(2)`, so lines never interleave.
public final class Console: Sendable {
    private let lock = Mutex(())
    /// Whether standard output is a terminal (live view, colours).
    public let isTerminal: Bool
    public let colors: Bool

    /// Standard output and error, or other descriptors (tests).
    private let output: Int32
    private let errors: Int32

    public convenience init(environment: [String: String]? = nil) {
        self.init(environment: environment, output: STDOUT_FILENO, errors: STDERR_FILENO)
    }

    /// A console writing to `output` and `errors` instead of descriptors 1 and 2.
    init(environment: [String: String]?, output: Int32, errors: Int32) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        self.output = output
        self.errors = errors
        isTerminal = isatty(output) == 1
        colors = isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    public func out(_ text: String) { write(output, text) }
    public func err(_ text: String) { write(errors, text) }

    /// Writes raw bytes to standard output (log lines with invalid UTF-8 pass through).
    public func out(bytes: [UInt8]) {
        lock.withLock { _ in Self.writeAll(output, bytes) }
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
