import Foundation
import GRDB

/// The crawl state in the run database: per crawl (`scope`, e.g. `workflow/step`) and URL,
/// the validators and content hash of the last response, and the bodies by hash so that an
/// unchanged page (HTTP 304) can be handed on without downloading it. Every method is one
/// transaction. A `Sendable` value; safe to use from several tasks.
public struct CrawlStateStore: Sendable {
    let store: RunStore

    /// Opens (creating and migrating it if needed) the run database at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`.
    public init(path: String) throws(StoreError) {
        store = try RunStore(path: path)
    }

    /// Everything recorded for `scope`, by URL.
    /// - Throws: `StoreError.readFailed`.
    public func crawlState(scope: String) throws(StoreError) -> [String: CrawlStateEntry] {
        try store.read { db in
            var entries: [String: CrawlStateEntry] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT url, role, status, content_type, etag, last_modified, hash, size, fetched_at, checked_at
                    FROM crawl_state WHERE scope = ?
                    """,
                arguments: [scope])
            while let row = try rows.next() {
                let url: String = row["url"]
                guard let role = CrawlStateEntry.Role(rawValue: row["role"] as String) else { continue }
                entries[url] = CrawlStateEntry(
                    url: url, role: role, status: row["status"], contentType: row["content_type"],
                    etag: row["etag"], lastModified: row["last_modified"], hash: row["hash"], size: row["size"],
                    fetchedAt: Timestamp.parse(row["fetched_at"]) ?? Date(timeIntervalSince1970: 0),
                    checkedAt: Timestamp.parse(row["checked_at"]) ?? Date(timeIntervalSince1970: 0))
            }
            return entries
        }
    }

    /// The body stored for `hash`, or nil when none is.
    /// - Throws: `StoreError.readFailed`.
    public func body(hash: String) throws(StoreError) -> [UInt8]? {
        try store.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM crawl_bodies WHERE hash = ?", arguments: [hash])
                .map { [UInt8]($0) }
        }
    }

    /// Records the latest response for `entry.url` in `scope`, and `body` under
    /// `entry.hash` when given (once per hash).
    /// - Throws: `StoreError.writeFailed`.
    public func recordCrawled(_ entry: CrawlStateEntry, scope: String, body: [UInt8]?) throws(StoreError) {
        try store.write("record crawl state of \(entry.url)") { db in
            try db.execute(
                sql: """
                    INSERT INTO crawl_state (scope, url, role, status, content_type, etag, last_modified, hash, size,
                        fetched_at, checked_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT (scope, url) DO UPDATE SET
                        role = excluded.role, status = excluded.status, content_type = excluded.content_type,
                        etag = excluded.etag, last_modified = excluded.last_modified, hash = excluded.hash,
                        size = excluded.size, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at
                    """,
                arguments: [
                    scope, entry.url, entry.role.rawValue, entry.status, entry.contentType, entry.etag,
                    entry.lastModified, entry.hash, entry.size, Timestamp.format(entry.fetchedAt),
                    Timestamp.format(entry.checkedAt),
                ])
            if let body {
                try db.execute(
                    sql: "INSERT INTO crawl_bodies (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
                    arguments: [entry.hash, Data(body)])
            }
        }
    }

    /// Forgets `urls` in `scope` (pages that are gone) and deletes bodies no crawl refers to.
    /// - Throws: `StoreError.writeFailed`.
    public func forgetCrawled(urls: [String], scope: String) throws(StoreError) {
        try store.write("forget crawled pages in \(scope)") { db in
            for url in urls {
                try db.execute(sql: "DELETE FROM crawl_state WHERE scope = ? AND url = ?", arguments: [scope, url])
            }
            try db.execute(
                sql: "DELETE FROM crawl_bodies WHERE hash NOT IN (SELECT hash FROM crawl_state)")
        }
    }
}
