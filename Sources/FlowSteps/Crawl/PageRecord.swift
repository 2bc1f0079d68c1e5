/// One line of `pages.jsonl`, the output of the `crawl` kind and the input of `parse`.
/// Field names on disk are snake_case.
public struct PageRecord: Sendable, Hashable, Codable {
    /// The page's URL in normal form (after same-site redirects).
    public var url: String
    /// Absolute path of the saved body under `<workspace>/<step>/pages/`.
    public var path: String
    /// HTTP status of this crawl's response: 200, or 304 when the saved copy was reused
    /// (local files: 200 or 304 alike, by modification time and size).
    public var status: Int
    public var contentType: String?
    /// Whether the content differs from the previous crawl's (by SHA-256), or is new.
    public var changed: Bool
    public var etag: String?
    public var lastModified: String?
    /// SHA-256 of the body, 64 lowercase hex digits.
    public var hash: String
    /// Links from a seed to here (0 for seeds and sitemap entries).
    public var depth: Int
    /// Set when this crawl could not fetch the page and the previous copy was handed on.
    public var error: String?

    public init(
        url: String, path: String, status: Int, contentType: String?, changed: Bool, etag: String?,
        lastModified: String?, hash: String, depth: Int, error: String? = nil
    ) {
        self.url = url
        self.path = path
        self.status = status
        self.contentType = contentType
        self.changed = changed
        self.etag = etag
        self.lastModified = lastModified
        self.hash = hash
        self.depth = depth
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case url, path, status, changed, etag, hash, depth, error
        case contentType = "content_type"
        case lastModified = "last_modified"
    }
}
