/// sacrebleu's default `13a` tokenizer (mteval-v13a as used by WMT), on Unicode scalars as
/// Python works on code points. Source: sacrebleu 2.x `Tokenizer13a` and `TokenizerRegexp`,
/// with BLEU's `_preprocess_segment` (`rstrip()` first).
enum Tokenizer13a {
    /// The tokens of `line`, as sacrebleu's BLEU sees them.
    static func tokenize(_ line: String) -> [String] {
        var text = Array(line.unicodeScalars)
        while let last = text.last, PythonText.isSpace(last) { text.removeLast() }
        text = PythonText.replace(text, "<skipped>", "")
        text = PythonText.replace(text, "-\n", "")
        text = PythonText.replace(text, "\n", " ")
        if text.contains("&") {
            text = PythonText.replace(text, "&quot;", "\"")
            text = PythonText.replace(text, "&amp;", "&")
            text = PythonText.replace(text, "&lt;", "<")
            text = PythonText.replace(text, "&gt;", ">")
        }
        text = [" "] + text + [" "]
        text = separatePunctuation(text)
        text = separatePeriodsAndCommas(text)
        text = separateDashAfterDigit(text)
        return PythonText.split(text)
    }

    private static let space: Unicode.Scalar = " "

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private static func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == ","
    }

    /// `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `: ASCII symbols except `'`, `,`, `-`, `.`.
    private static func separatePunctuation(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count * 2)
        for scalar in text {
            switch scalar.value {
            case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F:
                out.append(space)
                out.append(scalar)
                out.append(space)
            default:
                out.append(scalar)
            }
        }
        return out
    }

    /// `([^0-9])([\.,])` → `\1 \2 `, then `([\.,])([^0-9])` → ` \1 \2`: periods and commas
    /// are split off unless they sit between digits. Each pass is a left-to-right,
    /// non-overlapping scan, as `re.sub` does.
    private static func separatePeriodsAndCommas(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var first: [Unicode.Scalar] = []
        first.reserveCapacity(text.count + 8)
        var index = 0
        while index < text.count {
            if index + 1 < text.count, !isDigit(text[index]), isPeriodOrComma(text[index + 1]) {
                first.append(contentsOf: [text[index], space, text[index + 1], space])
                index += 2
            } else {
                first.append(text[index])
                index += 1
            }
        }
        var second: [Unicode.Scalar] = []
        second.reserveCapacity(first.count + 8)
        index = 0
        while index < first.count {
            if index + 1 < first.count, isPeriodOrComma(first[index]), !isDigit(first[index + 1]) {
                second.append(contentsOf: [space, first[index], space, first[index + 1]])
                index += 2
            } else {
                second.append(first[index])
                index += 1
            }
        }
        return second
    }

    /// `([0-9])(-)` → `\1 \2 `.
    private static func separateDashAfterDigit(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count + 8)
        var index = 0
        while index < text.count {
            if index + 1 < text.count, isDigit(text[index]), text[index + 1] == "-" {
                out.append(contentsOf: [text[index], space, text[index + 1], space])
                index += 2
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }
}
