public import Foundation
import GRDB

/// Vectors already computed, by embedding model and content hash, so that unchanged chunks are
/// never embedded again. One SQLite file (WAL), table
/// `embeddings(model, content_hash, dimension, vector BLOB little-endian float32, created_at)`.
/// `model` names the provider, model and dimension (e.g. `hash-v1/384`); the caller builds it.
public struct EmbeddingCache: Sendable {
    let pool: DatabasePool
    /// The cache file's path.
    public let path: String

    /// Opens (creating it and its folder if needed) the cache at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`.
    public init(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) {
        self.path = path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29-embeddings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE embeddings (
                        model        TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        dimension    INTEGER NOT NULL CHECK (dimension >= 1),
                        vector       BLOB NOT NULL CHECK (length(vector) = 4 * dimension),
                        created_at   TEXT NOT NULL,
                        PRIMARY KEY (model, content_hash)
                    ) WITHOUT ROWID;
                    """)
        }
        pool = try SQLiteFile.open(path, what: "embedding cache", busyTimeout: busyTimeout, migrator: migrator)
    }

    /// The cached vectors of `model` for these content hashes (those present), by hash.
    /// - Throws: `.readFailed`.
    public func vectors(model: String, hashes: [String]) throws(StoreError) -> [String: [Float]] {
        do {
            return try pool.read { db in
                var found: [String: [Float]] = [:]
                let statement = try db.makeStatement(
                    sql: """
                        SELECT content_hash, vector FROM embeddings
                        WHERE model = ? AND content_hash IN (SELECT value FROM json_each(?))
                        """)
                var start = 0
                while start < hashes.count {
                    let slice = Array(hashes[start..<min(hashes.count, start + 1000)])
                    start += slice.count
                    let list = String(decoding: try JSONSerialization.data(withJSONObject: slice), as: UTF8.self)
                    let rows = try Row.fetchCursor(statement, arguments: [model, list])
                    while let row = try rows.next() {
                        let blob: Data = row[1]
                        found[row[0]] = Float32Blob.decode(blob)
                    }
                }
                return found
            }
        } catch {
            throw StoreError(.readFailed, "cannot read embedding cache \(path): \(VectorDatabase.describe(error))")
        }
    }

    /// Stores vectors of `model` by content hash (replacing any), in one transaction.
    /// - Throws: `.writeFailed`.
    public func store(model: String, _ entries: [(hash: String, vector: [Float])], at date: Date = Date()) throws(StoreError) {
        guard !entries.isEmpty else { return }
        do {
            try pool.write { db in
                let statement = try db.makeStatement(
                    sql: """
                        INSERT OR REPLACE INTO embeddings (model, content_hash, dimension, vector, created_at) VALUES (?,?,?,?,?)
                        """)
                let now = Timestamp.format(date)
                for entry in entries {
                    let blob = Float32Blob.encode(entry.vector)
                    try statement.execute(arguments: [model, entry.hash, entry.vector.count, blob, now])
                }
            }
        } catch {
            throw StoreError(.writeFailed, "cannot write embedding cache \(path): \(VectorDatabase.describe(error))")
        }
    }
}
