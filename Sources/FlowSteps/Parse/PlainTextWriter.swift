/// Builds the text of a document from a tree walk: inline text with HTML's whitespace
/// collapsing, block breaks (one newline or a blank line) emitted lazily only between pieces
/// of content, and prefixes (`- `, `## `) emitted just before the first content after them.
/// Counts Unicode scalars as it goes so that offsets can be recorded.
struct PlainTextWriter {
    private(set) var bytes: [UInt8] = []
    /// Unicode scalars in `bytes`.
    private(set) var scalarCount = 0
    /// 0: none, 1: newline, 2: blank line; the largest request wins.
    private var pendingBreak = 0
    private var pendingSpace = false
    private var pendingPrefix: [UInt8] = []

    var isEmpty: Bool { bytes.isEmpty }

    /// Asks for a line break (1) or a blank line (2) before the next content.
    mutating func requestBreak(_ kind: Int) {
        pendingBreak = max(pendingBreak, kind)
        pendingSpace = false
    }

    /// Asks for a space before the next content (unless a break comes first).
    mutating func requestSpace() {
        pendingSpace = true
    }

    /// Writes `prefix` just before the next content, after any pending break.
    mutating func setPrefix(_ prefix: String) {
        pendingPrefix = Array(prefix.utf8)
    }

    /// Drops a prefix that no content followed.
    mutating func clearPrefix() {
        pendingPrefix = []
    }

    var hasPendingPrefix: Bool { !pendingPrefix.isEmpty }

    /// Appends inline text, collapsing runs of ASCII whitespace into one space (HTML's rule
    /// for text outside `<pre>`).
    mutating func inline(_ text: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = text.count
        while i < n {
            if Self.isSpace(text[i]) {
                pendingSpace = true
                i += 1
                continue
            }
            var j = i + 1
            while j < n, !Self.isSpace(text[j]) { j += 1 }
            beginContent()
            append(UnsafeBufferPointer(rebasing: text[i..<j]))
            i = j
        }
    }

    /// Appends text verbatim (for preformatted blocks), after any pending break.
    mutating func verbatim(_ text: [UInt8]) {
        guard !text.isEmpty else { return }
        beginContent()
        text.withUnsafeBufferPointer { append($0) }
    }

    /// The final text, with trailing whitespace removed.
    mutating func finish() -> [UInt8] {
        while let last = bytes.last, Self.isSpace(last) {
            bytes.removeLast()
            scalarCount -= 1
        }
        return bytes
    }

    /// Writes the pending break (or space) and prefix before new content.
    mutating func beginContent() {
        if !bytes.isEmpty {
            if pendingBreak > 0 {
                // A blank line needs two newlines after the last content.
                let newlines = pendingBreak == 2 ? 2 : 1
                var have = 0
                var k = bytes.count - 1
                while k >= 0, bytes[k] == 0x0A, have < newlines {
                    have += 1
                    k -= 1
                }
                for _ in have..<newlines { appendByte(0x0A) }
            } else if pendingSpace, let last = bytes.last, !Self.isSpace(last) {
                appendByte(0x20)
            }
        }
        pendingBreak = 0
        pendingSpace = false
        if !pendingPrefix.isEmpty {
            let prefix = pendingPrefix
            pendingPrefix = []
            prefixStart = scalarCount
            prefix.withUnsafeBufferPointer { append($0) }
            prefixEnd = bytes.count
        }
    }

    /// Where the last prefix was written (scalar offset), or nil since `resetPrefixStart`.
    private(set) var prefixStart: Int?
    /// The byte offset just after the last prefix written.
    private(set) var prefixEnd = 0

    mutating func resetPrefixStart() {
        prefixStart = nil
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: run)
        for b in run where UTF8Text.isScalarStart(b) { scalarCount += 1 }
    }

    private mutating func appendByte(_ b: UInt8) {
        bytes.append(b)
        scalarCount += 1
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
    }
}
