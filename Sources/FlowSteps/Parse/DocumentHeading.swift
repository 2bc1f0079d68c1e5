/// A heading of a parsed document, as listed in `metadata.headings` of documents.jsonl.
public struct DocumentHeading: Sendable, Hashable, Codable {
    /// 1 (`<h1>`, `#`) to 6.
    public var level: Int
    /// The heading's text, without the `#` marks.
    public var text: String
    /// Where the heading's line starts in the document's `text`, in Unicode scalars
    /// (the position of its first `#` for HTML and Markdown).
    public var offset: Int

    public init(level: Int, text: String, offset: Int) {
        self.level = level
        self.text = text
        self.offset = offset
    }
}
