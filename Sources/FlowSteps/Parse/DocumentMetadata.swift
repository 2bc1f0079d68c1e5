/// What `parse` knows about a document besides its text.
public struct DocumentMetadata: Sendable, Hashable, Codable {
    /// The format the text was read as: `text/html`, `text/markdown`, `text/plain`,
    /// `application/pdf`, or a JSONL document's own value.
    public var contentType: String
    /// The file the text was read from (a crawled page's saved copy, or the input file).
    public var sourcePath: String
    /// Headings in text order, with Unicode scalar offsets into `text`.
    public var headings: [DocumentHeading]
    /// PDF only: the scalar offset where each page starts in `text`.
    public var pages: [Int]?

    public init(contentType: String, sourcePath: String, headings: [DocumentHeading] = [], pages: [Int]? = nil) {
        self.contentType = contentType
        self.sourcePath = sourcePath
        self.headings = headings
        self.pages = pages
    }

    enum CodingKeys: String, CodingKey {
        case contentType = "content_type"
        case sourcePath = "source_path"
        case headings
        case pages
    }
}
