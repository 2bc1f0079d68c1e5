/// One line of `chunks.jsonl`, the output of the `chunk` kind. Field names on disk are
/// snake_case.
public struct ChunkRecord: Sendable, Hashable, Codable {
    /// `<document_id>:<index>`.
    public var id: String
    public var documentID: String
    /// 0-based position of the chunk in its document.
    public var index: Int
    /// Exactly `document.text[start..<end]` (Unicode scalar offsets).
    public var text: String
    public var start: Int
    public var end: Int
    /// SHA-256 of `text`'s UTF-8 bytes, 64 lowercase hex digits (embedding caches key on it).
    public var hash: String
    /// The document's `changed` flag.
    public var changed: Bool
    public var url: String
    public var title: String
    public var metadata: ChunkMetadata

    public init(
        id: String, documentID: String, index: Int, text: String, start: Int, end: Int, hash: String, changed: Bool,
        url: String, title: String, metadata: ChunkMetadata
    ) {
        self.id = id
        self.documentID = documentID
        self.index = index
        self.text = text
        self.start = start
        self.end = end
        self.hash = hash
        self.changed = changed
        self.url = url
        self.title = title
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id, index, text, start, end, hash, changed, url, title, metadata
        case documentID = "document_id"
    }
}
