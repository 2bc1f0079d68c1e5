/// Plain text is kept as written, with line ends normalised to `\n` and a byte order mark
/// removed; the title is the first non-blank line (trimmed, at most 200 characters).
enum PlainTextExtractor {
    static func extract(_ source: String) -> ExtractedText {
        let text = normalize(source)
        return ExtractedText(title: firstLine(text), text: text, headings: [])
    }

    /// `source` with `\r\n` and `\r` turned into `\n` and a leading U+FEFF removed.
    static func normalize(_ source: String) -> String {
        if !source.utf8.contains(0x0D), !source.hasPrefix("\u{FEFF}") { return source }
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for (index, s) in source.unicodeScalars.enumerated() {
            if index == 0, s == "\u{FEFF}" { continue }
            if s == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if s == "\n", previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            scalars.append(s)
        }
        return String(scalars)
    }

    /// The first line holding more than spaces and tabs, trimmed, cut at 200 characters.
    static func firstLine(_ text: String) -> String {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingSpacesAndTabs
            if !trimmed.isEmpty { return String(trimmed.prefix(200)) }
        }
        return ""
    }
}
