/// Cuts a document's text into chunks whose text is exactly a slice of the document:
/// for every span, `text[start..<end]` (Unicode scalar offsets) is the chunk.
///
/// `recursive` follows the shape of LangChain's `RecursiveCharacterTextSplitter` (split at the
/// largest separator present, recurse into pieces that are still too large, merge
/// neighbouring pieces up to `size`, carry trailing whole pieces of up to `overlap` into the
/// next chunk) with a structural separator list: heading sections → paragraphs (blank lines)
/// → lines → sentences → words → single characters or tokens. Separators stay inside the
/// text (nothing is removed), and each chunk's leading and trailing whitespace is trimmed off
/// its span, so chunks never exceed `size` and whitespace-only chunks are dropped.
///
/// `fixed` cuts windows of exactly `size` units every `size - overlap` units (the last window
/// may be shorter); windows are not trimmed.
public struct TextChunker: Sendable {
    public var strategy: ChunkStrategy
    /// Maximum chunk length in `unit`s; at least 1.
    public var size: Int
    /// Maximum shared length between neighbouring chunks in `unit`s; `0 ..< size`.
    public var overlap: Int
    public var unit: ChunkUnit

    /// - Precondition: `size >= 1` and `0 <= overlap < size` (the executor checks inputs first).
    public init(strategy: ChunkStrategy = .recursive, size: Int, overlap: Int = 0, unit: ChunkUnit = .characters) {
        precondition(size >= 1 && overlap >= 0 && overlap < size, "chunk size \(size) / overlap \(overlap)")
        self.strategy = strategy
        self.size = size
        self.overlap = overlap
        self.unit = unit
    }

    /// The chunks of `text`, in order, as Unicode scalar offset spans.
    /// - Parameter headingOffsets: scalar offsets where heading lines start (section
    ///   boundaries for `recursive`); any order, out-of-range values ignored.
    public func spans(of text: String, headingOffsets: [Int] = []) -> [TextSpan] {
        var text = text
        return text.withUTF8 { bytes in
            let index = UTF8Text.ScalarIndex(bytes)
            let headings = Set(headingOffsets.filter { $0 > 0 }).map { index.byteOffset(ofScalar: $0) }.sorted()
            var ranges: [Range<Int>] = []
            switch strategy {
            case .recursive:
                var run = RecursiveRun(
                    bytes: bytes, index: index, size: size, overlap: overlap, unit: unit,
                    headings: headings)
                run.split(0..<bytes.count, level: .sections)
                ranges = run.output
            case .fixed:
                ranges = fixedRanges(bytes, index: index)
            }
            return ranges.map { TextSpan(start: index.scalarOffset($0.lowerBound), end: index.scalarOffset($0.upperBound)) }
        }
    }

    // MARK: Fixed windows

    private func fixedRanges(_ bytes: UnsafeBufferPointer<UInt8>, index: UTF8Text.ScalarIndex) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let stride = size - overlap
        if unit == .characters {
            let total = index.scalarOffset(bytes.count)
            var first = 0
            while first < total {
                let last = min(first + size, total)
                ranges.append(index.byteOffset(ofScalar: first)..<index.byteOffset(ofScalar: last))
                if last == total { break }
                first += stride
            }
            return ranges
        }
        // Tokens: (start, end) of each.
        var unitStarts: [Int] = []
        var unitEnds: [Int] = []
        switch unit {
        case .characters:
            break
        case .tokens:
            WordTokenizer.forEachToken(bytes, 0..<bytes.count) { s, e in
                unitStarts.append(s)
                unitEnds.append(e)
            }
        }
        var first = 0
        while first < unitStarts.count {
            let last = min(first + size, unitStarts.count) - 1
            ranges.append(unitStarts[first]..<unitEnds[last])
            if last == unitStarts.count - 1 { break }
            first += stride
        }
        return ranges
    }
}

/// The state of one recursive split: the text, the limits and the chunks found so far
/// (byte ranges, in order).
private struct RecursiveRun {
    enum Level: Int, Comparable {
        case sections, paragraphs, lines, sentences, words, atoms
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var next: Level? { Level(rawValue: rawValue + 1) }
    }

    struct Piece {
        var range: Range<Int>
        var measure: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let index: UTF8Text.ScalarIndex
    let size: Int
    let overlap: Int
    let unit: ChunkUnit
    /// Byte offsets of heading starts, ascending.
    let headings: [Int]
    var output: [Range<Int>] = []

    init(
        bytes: UnsafeBufferPointer<UInt8>, index: UTF8Text.ScalarIndex, size: Int, overlap: Int, unit: ChunkUnit,
        headings: [Int]
    ) {
        self.bytes = bytes
        self.index = index
        self.size = size
        self.overlap = overlap
        self.unit = unit
        self.headings = headings
    }

    func measure(_ r: Range<Int>) -> Int {
        switch unit {
        case .characters: index.count(r)
        case .tokens: WordTokenizer.count(bytes, r)
        }
    }

    mutating func split(_ range: Range<Int>, level: Level) {
        guard !range.isEmpty else { return }
        let bounds = boundaries(in: range, level: level)
        if bounds.isEmpty, let next = level.next {
            // This separator does not occur here: try the next one (as LangChain does).
            split(range, level: next)
            return
        }
        var good: [Piece] = []
        var start = range.lowerBound
        for end in bounds + [range.upperBound] where end > start {
            let piece = Piece(range: start..<end, measure: measure(start..<end))
            start = end
            if piece.measure <= size {
                good.append(piece)
            } else {
                merge(good)
                good.removeAll(keepingCapacity: true)
                if let next = level.next {
                    split(piece.range, level: next)
                } else {
                    emit(piece.range)  // unreachable: an atom is one unit
                }
            }
        }
        merge(good)
    }

    /// Merges neighbouring pieces into chunks of at most `size`, each starting with the
    /// previous chunk's trailing pieces of total at most `overlap` (LangChain's `_merge_splits`).
    mutating func merge(_ pieces: [Piece]) {
        guard !pieces.isEmpty else { return }
        var head = 0
        var total = 0
        for (index, piece) in pieces.enumerated() {
            if total + piece.measure > size, head < index {
                emit(pieces[head].range.lowerBound..<pieces[index - 1].range.upperBound)
                while head < index, total > overlap || (total + piece.measure > size && total > 0) {
                    total -= pieces[head].measure
                    head += 1
                }
            }
            total += piece.measure
        }
        emit(pieces[head].range.lowerBound..<pieces[pieces.count - 1].range.upperBound)
    }

    /// Records `range` with its edge whitespace trimmed, unless nothing is left.
    mutating func emit(_ range: Range<Int>) {
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
        guard lo < hi else { return }
        if let last = output.last, last == lo..<hi { return }
        output.append(lo..<hi)
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
    }

    /// Byte offsets strictly inside `range` where pieces of `level` start, ascending.
    func boundaries(in range: Range<Int>, level: Level) -> [Int] {
        var out: [Int] = []
        let lo = range.lowerBound, hi = range.upperBound
        switch level {
        case .sections:
            var i = headings.partitioningIndex { $0 > lo }
            while i < headings.count, headings[i] < hi {
                out.append(headings[i])
                i += 1
            }
        case .paragraphs:
            // After a blank line: "\n", then lines holding only spaces/tabs/CR, then "\n".
            var i = lo
            while i < hi {
                if bytes[i] == 0x0A {
                    var j = i + 1
                    var lastNewline = i
                    var blank = false
                    while j < hi {
                        let b = bytes[j]
                        if b == 0x0A {
                            blank = true
                            lastNewline = j
                        } else if b != 0x20 && b != 0x09 && b != 0x0D {
                            break
                        }
                        j += 1
                    }
                    if blank, lastNewline + 1 < hi { out.append(lastNewline + 1) }
                    i = blank ? lastNewline + 1 : i + 1
                } else {
                    i += 1
                }
            }
        case .lines:
            for i in lo..<hi where bytes[i] == 0x0A && i + 1 < hi {
                out.append(i + 1)
            }
        case .sentences:
            var i = lo
            while i < hi {
                let (scalar, next) = UTF8Text.decode(bytes, at: i)
                i = next
                guard Self.isSentenceEnd(scalar) else { continue }
                // Ideographic full stops end a sentence without a following space.
                var ideographic = Self.isIdeographicEnd(scalar)
                var j = i
                // Further marks, closing quotes and brackets stay with their sentence.
                while j < hi {
                    let (s, n) = UTF8Text.decode(bytes, at: j)
                    guard Self.isSentenceEnd(s) || Self.isCloser(s) else { break }
                    ideographic = ideographic || Self.isIdeographicEnd(s)
                    j = n
                }
                let afterMarks = j
                while j < hi, Self.isSpace(bytes[j]) { j += 1 }
                if j > afterMarks || ideographic, j < hi { out.append(j) }
                i = j
            }
        case .words:
            var i = lo
            while i < hi {
                if Self.isSpace(bytes[i]) {
                    var j = i + 1
                    while j < hi, Self.isSpace(bytes[j]) { j += 1 }
                    if j < hi { out.append(j) }
                    i = j
                } else {
                    i += 1
                }
            }
        case .atoms:
            switch unit {
            case .characters:
                for i in (lo + 1)..<hi where UTF8Text.isScalarStart(bytes[i]) { out.append(i) }
            case .tokens:
                var first = true
                WordTokenizer.forEachToken(bytes, range) { s, _ in
                    if !first { out.append(s) }
                    first = false
                }
            }
        }
        return out
    }

    static func isSentenceEnd(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case ".", "!", "?", "\u{3002}", "\u{FF01}", "\u{FF1F}", "\u{2026}": true
        default: false
        }
    }

    static func isIdeographicEnd(_ s: Unicode.Scalar) -> Bool {
        s == "\u{3002}" || s == "\u{FF01}" || s == "\u{FF1F}"
    }

    static func isCloser(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case ")", "]", "\"", "'", "\u{201D}", "\u{2019}", "\u{300D}", "\u{300F}": true
        default: false
        }
    }
}

extension Array where Element == Int {
    /// The first index whose element satisfies `predicate`, for an array partitioned so that
    /// all elements failing it come first (binary search).
    fileprivate func partitioningIndex(where predicate: (Int) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
