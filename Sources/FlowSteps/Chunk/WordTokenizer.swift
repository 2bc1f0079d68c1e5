/// The token rule of `unit: tokens`: a simple word-piece count, documented in
/// `docs/steps/chunk.md`. It is NOT a model's tokenizer (BPE such as cl100k splits long or
/// rare words into several tokens, so real counts run higher for such text); it is stable,
/// fast and language-neutral enough to size chunks.
///
/// Over Unicode scalars:
/// - a maximal run of word scalars (letters, digits, marks, `_`) is one token;
/// - each Han, Hiragana or Katakana scalar is one token (those scripts do not separate words);
/// - each other non-whitespace scalar (punctuation, symbols, emoji) is one token;
/// - whitespace only separates.
///
/// Works on UTF-8 bytes; positions are byte offsets at scalar boundaries.
enum WordTokenizer {
    enum Class {
        case space, word, single
    }

    /// The class of the scalar starting at `i` and the index just after it.
    @inline(__always)
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Class, Int) {
        let b = bytes[i]
        if b < 0x80 {
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: return (.space, i + 1)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                return (.word, i + 1)
            default: return (.single, i + 1)
            }
        }
        let (scalar, next) = UTF8Text.decode(bytes, at: i)
        let v = scalar.value
        if (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x20000...0x2FA1F).contains(v)
        {
            return (.single, next)
        }
        let p = scalar.properties
        if p.isWhitespace { return (.space, next) }
        if p.isAlphabetic || p.numericType != nil { return (.word, next) }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return (.word, next)
        default: return (.single, next)
        }
    }

    /// The number of tokens in `bytes[range]`.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var n = 0
        var i = range.lowerBound
        var inWord = false
        while i < range.upperBound {
            let (c, next) = classify(bytes, at: i)
            switch c {
            case .space: inWord = false
            case .word:
                if !inWord { n += 1 }
                inWord = true
            case .single:
                n += 1
                inWord = false
            }
            i = next
        }
        return n
    }

    /// Calls `body(start, end)` for each token of `bytes[range]`, in order (byte offsets).
    static func forEachToken(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Int, Int) -> Void
    ) {
        var i = range.lowerBound
        var wordStart = -1
        while i < range.upperBound {
            let (c, next) = classify(bytes, at: i)
            switch c {
            case .space:
                if wordStart >= 0 {
                    body(wordStart, i)
                    wordStart = -1
                }
            case .word:
                if wordStart < 0 { wordStart = i }
            case .single:
                if wordStart >= 0 {
                    body(wordStart, i)
                    wordStart = -1
                }
                body(i, next)
            }
            i = next
        }
        if wordStart >= 0 { body(wordStart, range.upperBound) }
    }

    /// The number of tokens in `text`.
    static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count($0, 0..<$0.count) }
    }
}
