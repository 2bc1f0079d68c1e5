import Glibc

/// Cuts one stream's bytes into `OutputLine`s at `\n`, holding at most `maxLineBytes` of an
/// unfinished line; a longer line is cut into pieces of exactly `maxLineBytes` marked
/// `isContinued`. Bytes are copied unchanged (no decoding).
struct LineSplitter {
    let stream: StepLog.Stream
    let maxLineBytes: Int
    /// The start of an unfinished line, at most `maxLineBytes` long (exactly that long when a
    /// full piece waits to learn whether a `\n` ends it).
    private var partial: [UInt8] = []

    init(stream: StepLog.Stream, maxLineBytes: Int) {
        self.stream = stream
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Appends the lines that `chunk` completes to `lines`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, into lines: inout [OutputLine]) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            if let found = memchr(base + start, 0x0A, chunk.count - start) {
                let end = base.distance(to: UnsafeRawPointer(found))
                append(UnsafeRawBufferPointer(rebasing: chunk[start..<end]), endsLine: true, into: &lines)
                start = end + 1
            } else {
                append(UnsafeRawBufferPointer(rebasing: chunk[start...]), endsLine: false, into: &lines)
                break
            }
        }
    }

    /// At end of file: the unfinished line, if any, as a last line.
    mutating func finish(into lines: inout [OutputLine]) {
        guard !partial.isEmpty else { return }
        lines.append(OutputLine(stream: stream, bytes: partial, isContinued: false))
        partial = []
    }

    private mutating func append(_ segment: UnsafeRawBufferPointer, endsLine: Bool, into lines: inout [OutputLine]) {
        var segment = segment[...]
        // Emit full pieces only while more bytes of the same line follow, so a line of exactly
        // `maxLineBytes` is one piece, not a piece and an empty tail.
        while partial.count + segment.count > maxLineBytes {
            let take = maxLineBytes - partial.count
            let piece = partial + segment.prefix(take)
            lines.append(OutputLine(stream: stream, bytes: piece, isContinued: true))
            partial = []
            segment = segment.dropFirst(take)
        }
        if endsLine {
            let line = partial.isEmpty ? Array(segment) : partial + segment
            lines.append(OutputLine(stream: stream, bytes: line, isContinued: false))
            partial = []
        } else {
            partial.append(contentsOf: segment)
        }
    }
}
