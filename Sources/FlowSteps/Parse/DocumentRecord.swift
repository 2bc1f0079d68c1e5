/// One line of `documents.jsonl`, the output of the `parse` kind and the input of `chunk`.
/// Field names on disk are snake_case (`content_type`, `source_path`).
public struct DocumentRecord: Sendable, Hashable, Codable {
    /// Stable across runs: the first 16 hex digits of SHA-256 of the page URL (crawled pages)
    /// or of the file's path relative to the `path` input (files); kept as given for JSONL
    /// documents that carry an `id`.
    public var id: String
    /// Where the document came from (`https://…`, `file:///…`).
    public var url: String
    public var title: String
    /// The readable text; offsets elsewhere count its Unicode scalars.
    public var text: String
    /// SHA-256 of `text`'s UTF-8 bytes, 64 lowercase hex digits.
    public var hash: String
    /// Whether the source changed since the previous crawl (always true without a crawl).
    public var changed: Bool
    public var metadata: DocumentMetadata

    public init(id: String, url: String, title: String, text: String, hash: String, changed: Bool, metadata: DocumentMetadata) {
        self.id = id
        self.url = url
        self.title = title
        self.text = text
        self.hash = hash
        self.changed = changed
        self.metadata = metadata
    }
}
