/// Renders diagnostics the way compilers do, which editors and CI already parse:
///
/// ```
/// Pipelines/ingest.yaml:14:17: error: step 'upsert' needs unknown step 'embedd'
///    14 |     needs: [embedd]
///       |             ^
/// note: did you mean 'embed'?
/// ```
///
/// The excerpt is printed only when the source text of the diagnostic's file is known.
public struct DiagnosticRenderer: Sendable {
    /// Source text by file name, as given in `SourceLocation.file`.
    public var sources: [String: String]

    public init(sources: [String: String] = [:]) {
        self.sources = sources
    }

    /// All diagnostics, in the given order, each followed by a newline.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    /// One diagnostic with its excerpt and hint, ending in a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = diagnostic.description + "\n"
        if let location = diagnostic.location, let text = sources[location.file],
            let line = Self.line(location.line, of: text)
        {
            let number = String(location.line)
            let gutter = String(repeating: " ", count: max(number.count, 4))
            let padded = String(repeating: " ", count: max(0, 4 - number.count)) + number
            let (shown, column, end) = Self.excerpt(of: line, around: location.column)
            out += "\(padded) | \(shown)\n"
            let indent = Self.caretIndent(line: shown, column: column)
            let width = max(1, min(diagnostic.length, max(1, end - column + 1)))
            out += "\(gutter) | \(indent)^\(String(repeating: "~", count: width - 1))\n"
        }
        if let hint = diagnostic.hint {
            out += "note: \(hint)\n"
        }
        return out
    }

    /// The 1-based `number`th line of `text` without its terminator, or nil past the end.
    static func line(_ number: Int, of text: String) -> Substring? {
        guard number >= 1 else { return nil }
        var current = 1
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "\n" || text[index] == "\r\n" {
                if current == number { return text[start..<index] }
                current += 1
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        return current == number && start < text.endIndex ? text[start..<text.endIndex] : nil
    }

    /// Most Unicode scalars of a source line that an excerpt shows.
    static let excerptWidth = 120

    /// The part of `line` an excerpt shows: the whole line when it has at most `excerptWidth`
    /// scalars, else `excerptWidth` scalars around `column` with "…" on each side that was cut.
    /// - Returns: the text, `column` (1-based, in scalars) moved into it, and the column of the
    ///   last scalar of the source that it shows (for the caret's `~` run).
    static func excerpt(of line: Substring, around column: Int) -> (Substring, column: Int, end: Int) {
        let scalars = line.unicodeScalars
        let count = scalars.count
        guard count > excerptWidth else { return (line, column, count) }
        let target = min(max(column - 1, 0), count)
        let end = min(count, max(target - excerptWidth / 2, 0) + excerptWidth)
        let start = max(0, end - excerptWidth)
        var text = start > 0 ? "…" : ""
        text.unicodeScalars.append(
            contentsOf: scalars[scalars.index(scalars.startIndex, offsetBy: start)..<scalars.index(scalars.startIndex, offsetBy: end)])
        if end < count { text += "…" }
        let shift = start > 0 ? start - 1 : 0
        return (Substring(text), column - shift, end - shift)
    }

    /// Spaces (tabs kept as tabs) that put a caret under `column` (1-based, in scalars).
    static func caretIndent(line: Substring, column: Int) -> String {
        var indent = ""
        for (offset, scalar) in line.unicodeScalars.enumerated() where offset < column - 1 {
            indent.append(scalar == "\t" ? "\t" : " ")
        }
        if column - 1 > line.unicodeScalars.count {
            indent += String(repeating: " ", count: column - 1 - line.unicodeScalars.count)
        }
        return indent
    }
}
