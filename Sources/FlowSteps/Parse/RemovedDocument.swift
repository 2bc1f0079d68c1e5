/// One line of parse's `removed.jsonl`: a document whose page the crawl found gone, so that
/// later steps can delete what they derived from it.
public struct RemovedDocument: Sendable, Hashable, Codable {
    public var id: String
    public var url: String

    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }
}
