/// Title and headings of a Markdown document, whose text is kept as written (it already
/// reads as text). Recognised, line by line (CommonMark's block rules, simplified):
/// ATX headings (`#`…`######` after at most 3 spaces, then a space or the line end; a
/// closing `#` run is dropped from the heading text), fenced code blocks (``` or ~~~, inside
/// which nothing is a heading), and a leading YAML front matter block between `---` lines,
/// which is removed from the text and whose `title:` becomes the title. Setext (underlined)
/// headings are not recognised.
enum MarkdownExtractor {
    static func extract(_ source: String) -> ExtractedText {
        var text = PlainTextExtractor.normalize(source)
        var title = ""
        if let (frontTitle, body) = frontMatter(text) {
            title = frontTitle
            text = body
        }
        var headings: [DocumentHeading] = []
        var fence: (marker: Character, length: Int)?
        var offset = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { offset += line.unicodeScalars.count + 1 }
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { continue }
            let rest = line.dropFirst(indent)
            if let open = fence {
                let run = rest.prefix { $0 == open.marker }.count
                if run >= open.length, rest.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" }) { fence = nil }
                continue
            }
            if let first = rest.first, first == "`" || first == "~" {
                let run = rest.prefix { $0 == first }.count
                if run >= 3 {
                    fence = (first, run)
                    continue
                }
            }
            let hashes = rest.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes) else { continue }
            let after = rest.dropFirst(hashes)
            guard after.isEmpty || after.first == " " || after.first == "\t" else { continue }
            var content = Substring(after)
            while let l = content.last, l == " " || l == "\t" { content.removeLast() }
            // A closing sequence of #s preceded by a space is not part of the heading.
            let closing = content.reversed().prefix { $0 == "#" }.count
            if closing > 0 {
                let beforeClosing = content.dropLast(closing)
                if beforeClosing.isEmpty || beforeClosing.last == " " || beforeClosing.last == "\t" {
                    content = beforeClosing
                }
            }
            let headingText = content.trimmingSpacesAndTabs
            headings.append(DocumentHeading(level: hashes, text: headingText, offset: offset + indent))
        }
        if title.isEmpty { title = (headings.first { $0.level == 1 } ?? headings.first)?.text ?? "" }
        return ExtractedText(title: title, text: text, headings: headings)
    }

    /// The `title:` of a leading `---` … `---` (or `...`) block and the text after it.
    static func frontMatter(_ text: String) -> (title: String, body: String)? {
        guard text.hasPrefix("---\n") else { return nil }
        var title = ""
        var position = text.index(text.startIndex, offsetBy: 4)
        while position < text.endIndex {
            let lineEnd = text[position...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[position..<lineEnd]
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
            if line == "---" || line == "..." {
                var body = String(text[next...])
                while body.first == "\n" { body.removeFirst() }
                return (title, body)
            }
            if line.hasPrefix("title:") {
                title = line.dropFirst(6).trimmingSpacesAndTabs
                if title.count >= 2, let f = title.first, f == "\"" || f == "'", title.last == f {
                    title = String(title.dropFirst().dropLast())
                }
            }
            position = next
        }
        return nil
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesAndTabs: String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
