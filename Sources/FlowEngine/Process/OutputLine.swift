/// One line (or one piece of a long line) a process wrote to standard output or error.
public struct OutputLine: Sendable, Hashable {
    /// `.stdout` or `.stderr`.
    public var stream: StepLog.Stream
    /// The bytes exactly as written, without the terminating `\n` (a `\r` before it is kept).
    /// Not necessarily UTF-8. At most `ProcessRequest.maxLineBytes` long.
    public var bytes: [UInt8]
    /// True when this piece is not the end of its line: the line was longer than
    /// `maxLineBytes` and continues in the next piece of the same stream.
    public var isContinued: Bool

    public init(stream: StepLog.Stream, bytes: [UInt8], isContinued: Bool = false) {
        self.stream = stream
        self.bytes = bytes
        self.isContinued = isContinued
    }
}
