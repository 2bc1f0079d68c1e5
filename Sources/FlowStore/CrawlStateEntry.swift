public import Foundation

/// What one crawl saw at one URL the last time it asked (table `crawl_state`).
public struct CrawlStateEntry: Sendable, Hashable {
    /// Why the URL was fetched.
    public enum Role: String, Sendable {
        /// A page handed on in pages.jsonl.
        case page
        case sitemap
        case robots
        /// Fetched but not kept (a content type `parse` cannot read); remembered so that the
        /// next crawl asks conditionally.
        case skipped
    }

    public var url: String
    public var role: Role
    /// The HTTP status of the last full response (200 for local files).
    public var status: Int
    public var contentType: String?
    /// Validators to send back (`If-None-Match`, `If-Modified-Since`), as the server sent them.
    public var etag: String?
    public var lastModified: String?
    /// SHA-256 of the body, 64 lowercase hex digits.
    public var hash: String
    /// Body size in bytes.
    public var size: Int
    /// When the body was last downloaded.
    public var fetchedAt: Date
    /// When the URL was last asked for (a 304 moves this, not `fetchedAt`).
    public var checkedAt: Date

    public init(
        url: String, role: Role, status: Int, contentType: String?, etag: String?, lastModified: String?,
        hash: String, size: Int, fetchedAt: Date, checkedAt: Date
    ) {
        self.url = url
        self.role = role
        self.status = status
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.hash = hash
        self.size = size
        self.fetchedAt = fetchedAt
        self.checkedAt = checkedAt
    }
}
