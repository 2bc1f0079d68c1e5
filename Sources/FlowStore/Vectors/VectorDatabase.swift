public import Foundation
import GRDB

/// The embedded vector store's file: collections of points (float32 vectors, JSON payload,
/// text), an FTS5 index of each collection's BM25 terms, and aliases (see `VectorSchema`).
/// SQLite in WAL mode; every method is one transaction. Stores and loads only: similarity,
/// BM25 scores and fusion are computed by the caller (FlowSteps' `SQLiteVectorStore`).
///
/// Vectors are kept as little-endian float32 BLOBs (`Float32Blob`).
public struct VectorDatabase: Sendable {
    let pool: DatabasePool
    /// The database file's path.
    public let path: String

    /// A collection as stored.
    public struct CollectionRecord: Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var dimension: Int
        /// `cosine` or `dot`.
        public var distance: String
        /// `english` or `simple`.
        public var textAnalysis: String
        /// Changes whenever the collection's points change.
        public var version: Int64
        public var createdAt: Date
        public var pointCount: Int
    }

    /// One point to write.
    public struct PointRecord: Sendable, Hashable {
        public var id: String
        public var documentID: String
        /// `dimension` floats, stored as given.
        public var vector: [Float]
        /// A JSON object, as text.
        public var payload: String
        public var text: String
        /// The BM25 terms of `text`, in order; none may contain a space.
        public var terms: [String]

        public init(id: String, documentID: String, vector: [Float], payload: String, text: String, terms: [String]) {
            self.id = id
            self.documentID = documentID
            self.vector = vector
            self.payload = payload
            self.text = text
            self.terms = terms
        }
    }

    /// A point as read back for a search result.
    public struct StoredPoint: Sendable, Hashable {
        public var rowid: Int64
        public var id: String
        public var documentID: String
        /// A JSON object, as text.
        public var payload: String
    }

    /// All vectors of a collection, ordered by point id (byte order), read in one snapshot.
    public struct LoadedVectors: Sendable {
        public var collection: CollectionRecord
        public var rowids: [Int64]
        public var ids: [String]
        /// `rowids.count × dimension` floats, row-major.
        public var vectors: [Float]
        /// BM25 document lengths, per row.
        public var termCounts: [Int32]
    }

    /// One term's postings in a collection: `(rowid, term frequency)` per point containing it.
    public typealias Postings = [(rowid: Int64, frequency: Int)]

    /// An alias and the collection it serves.
    public struct AliasRecord: Sendable, Hashable {
        public var alias: String
        public var collection: String
        public var updatedAt: Date
    }

    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    /// - Throws: `StoreError` `.cannotOpen` or `.migrationFailed`, naming the file.
    public init(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) {
        self.path = path
        pool = try SQLiteFile.open(path, what: "vector database", busyTimeout: busyTimeout, migrator: VectorSchema.migrator)
    }

    // MARK: Collections

    /// Creates a collection, or returns the existing one of that name when its dimension,
    /// distance and text analysis are the same.
    /// - Throws: `.conflict` when it exists with other settings; `.writeFailed` otherwise.
    @discardableResult
    public func createCollection(
        _ name: String, dimension: Int, distance: String, textAnalysis: String, at date: Date = Date()
    ) throws(StoreError) -> CollectionRecord {
        try write("create collection \(name)") { db in
            if let existing = try Self.collection(named: name, db) {
                guard existing.dimension == dimension, existing.distance == distance, existing.textAnalysis == textAnalysis else {
                    throw StoreError(
                        .conflict,
                        "collection '\(name)' in \(path) exists with dimension \(existing.dimension), distance \(existing.distance), "
                            + "text analysis \(existing.textAnalysis) (wanted \(dimension), \(distance), \(textAnalysis))")
                }
                return existing
            }
            try db.execute(
                sql: "INSERT INTO collections (name, dimension, distance, text_analysis, created_at) VALUES (?,?,?,?,?)",
                arguments: [name, dimension, distance, textAnalysis, Timestamp.format(date)])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE \(Self.termsTable(id)) USING fts5(terms, tokenize = "ascii tokenchars '_'");
                    CREATE VIRTUAL TABLE \(Self.termsTable(id))_vocab USING fts5vocab(\(Self.termsTable(id)), instance);
                    """)
            return try Self.collection(named: name, db)!
        }
    }

    /// The collection named `name`, or nil.
    public func collection(named name: String) throws(StoreError) -> CollectionRecord? {
        try read { db in try Self.collection(named: name, db) }
    }

    /// Every collection, by name.
    public func collections() throws(StoreError) -> [CollectionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: Self.collectionSelect + " ORDER BY c.name").map(Self.collection(from:))
        }
    }

    /// Deletes a collection with its points, FTS index and aliases. Returns whether it existed.
    public func deleteCollection(_ name: String) throws(StoreError) -> Bool {
        try write("delete collection \(name)") { db in
            guard let c = try Self.collection(named: name, db) else { return false }
            try db.execute(sql: "DROP TABLE \(Self.termsTable(c.id))_vocab; DROP TABLE \(Self.termsTable(c.id));")
            try db.execute(sql: "DELETE FROM collections WHERE id = ?", arguments: [c.id])
            return true
        }
    }

    // MARK: Points

    /// Inserts the points, replacing those with the same id (vector, payload, text, terms).
    /// - Throws: `.notFound` for a missing collection; `.writeFailed` for a vector whose length
    ///   is not the collection's dimension, or a failed write.
    public func upsert(_ points: [PointRecord], into collection: String) throws(StoreError) {
        try write("write points to \(collection)") { db in
            let c = try Self.existingCollection(collection, db, path)
            let table = Self.termsTable(c.id)
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO points (collection_id, id, document_id, vector, payload, text, term_count)
                    VALUES (?,?,?,?,?,?,?)
                    ON CONFLICT (collection_id, id) DO UPDATE SET document_id = excluded.document_id,
                        vector = excluded.vector, payload = excluded.payload, text = excluded.text,
                        term_count = excluded.term_count
                    RETURNING rowid
                    """)
            let deleteTerms = try db.makeStatement(sql: "DELETE FROM \(table) WHERE rowid = ?")
            let insertTerms = try db.makeStatement(sql: "INSERT INTO \(table) (rowid, terms) VALUES (?, ?)")
            for p in points {
                guard p.vector.count == c.dimension else {
                    throw StoreError(
                        .writeFailed,
                        "point '\(p.id)' has \(p.vector.count) values; collection '\(collection)' has dimension \(c.dimension)")
                }
                let blob = Float32Blob.encode(p.vector)
                let rowid = try Int64.fetchOne(
                    upsert, arguments: [c.id, p.id, p.documentID, blob, p.payload, p.text, p.terms.count])!
                try deleteTerms.execute(arguments: [rowid])
                try insertTerms.execute(arguments: [rowid, p.terms.joined(separator: " ")])
            }
            try Self.bumpVersion(c.id, db)
        }
    }

    /// Deletes the points with these ids. Returns how many existed.
    public func deletePoints(ids: [String], in collection: String) throws(StoreError) -> Int {
        try deleteWhere("id IN (SELECT value FROM json_each(?))", [Self.jsonArray(ids)], collection)
    }

    /// Deletes every point of these documents whose id is not in `keeping`. Returns the count.
    public func deleteDocuments(_ documentIDs: [String], keeping: [String] = [], in collection: String) throws(StoreError) -> Int {
        try deleteWhere(
            "document_id IN (SELECT value FROM json_each(?)) AND id NOT IN (SELECT value FROM json_each(?))",
            [Self.jsonArray(documentIDs), Self.jsonArray(keeping)], collection)
    }

    /// Deletes every point whose document is not one of `documentIDs`. Returns the count.
    public func deleteDocuments(notIn documentIDs: [String], in collection: String) throws(StoreError) -> Int {
        try deleteWhere("document_id NOT IN (SELECT value FROM json_each(?))", [Self.jsonArray(documentIDs)], collection)
    }

    /// The distinct document ids of a collection, sorted.
    public func documentIDs(in collection: String) throws(StoreError) -> [String] {
        try read { db in
            let c = try Self.existingCollection(collection, db, path)
            return try String.fetchAll(
                db, sql: "SELECT DISTINCT document_id FROM points WHERE collection_id = ? ORDER BY document_id",
                arguments: [c.id])
        }
    }

    /// The collection's version (see `CollectionRecord.version`), or nil when it does not exist.
    public func version(of collection: String) throws(StoreError) -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT version FROM collections WHERE name = ?", arguments: [collection])
        }
    }

    /// Every vector of a collection with its row ids and BM25 lengths, ordered by point id.
    /// - Throws: `.notFound` for a missing collection; `.readFailed`.
    public func loadVectors(of collection: String) throws(StoreError) -> LoadedVectors {
        try read { db in
            let c = try Self.existingCollection(collection, db, path)
            var loaded = LoadedVectors(collection: c, rowids: [], ids: [], vectors: [], termCounts: [])
            loaded.rowids.reserveCapacity(c.pointCount)
            loaded.ids.reserveCapacity(c.pointCount)
            loaded.termCounts.reserveCapacity(c.pointCount)
            loaded.vectors.reserveCapacity(c.pointCount * c.dimension)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT rowid, id, vector, term_count FROM points WHERE collection_id = ? ORDER BY id",
                arguments: [c.id])
            while let row = try rows.next() {
                loaded.rowids.append(row[0])
                loaded.ids.append(row[1])
                let blob: Data = row[2]
                guard blob.count == c.dimension * 4 else {
                    throw StoreError(.readFailed, "point '\(row[1] as String)' in \(path) has a vector of \(blob.count) bytes")
                }
                Float32Blob.append(blob, to: &loaded.vectors)
                loaded.termCounts.append(Int32(row[3] as Int))
            }
            return loaded
        }
    }

    /// Postings of each term in a collection's FTS5 index (terms not indexed are absent).
    public func postings(of terms: Set<String>, in collection: String) throws(StoreError) -> [String: Postings] {
        try read { db in
            let c = try Self.existingCollection(collection, db, path)
            let statement = try db.makeStatement(
                sql: """
                    SELECT doc, COUNT(*) FROM \(Self.termsTable(c.id))_vocab WHERE term = ? GROUP BY doc
                    """)
            var result: [String: Postings] = [:]
            for term in terms {
                let rows = try Row.fetchAll(statement, arguments: [term])
                if !rows.isEmpty { result[term] = rows.map { (rowid: $0[0], frequency: $0[1]) } }
            }
            return result
        }
    }

    /// The points with these row ids (those that still exist), by row id.
    public func points(rowids: [Int64]) throws(StoreError) -> [Int64: StoredPoint] {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid, id, document_id, payload FROM points WHERE rowid IN (SELECT value FROM json_each(?))",
                arguments: [Self.jsonArray(rowids.map(String.init))])
            var result: [Int64: StoredPoint] = [:]
            for row in rows {
                let p = StoredPoint(rowid: row[0], id: row[1], documentID: row[2], payload: row[3])
                result[p.rowid] = p
            }
            return result
        }
    }

    // MARK: Aliases

    /// Points `alias` at `collection` (creating or moving it) in one transaction.
    /// - Throws: `.notFound` for a missing collection; `.conflict` when a collection is named
    ///   `alias`; `.writeFailed`.
    public func setAlias(_ alias: String, to collection: String, at date: Date = Date()) throws(StoreError) {
        try write("set alias \(alias)") { db in
            let c = try Self.existingCollection(collection, db, path)
            if try Self.collection(named: alias, db) != nil {
                throw StoreError(.conflict, "alias '\(alias)' would hide the collection of that name in \(path)")
            }
            try db.execute(
                sql: """
                    INSERT INTO aliases (alias, collection_id, updated_at) VALUES (?,?,?)
                    ON CONFLICT (alias) DO UPDATE SET collection_id = excluded.collection_id, updated_at = excluded.updated_at
                    """,
                arguments: [alias, c.id, Timestamp.format(date)])
        }
    }

    /// The collection `alias` serves, or nil when there is no such alias.
    public func resolveAlias(_ alias: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT c.name FROM aliases a JOIN collections c ON c.id = a.collection_id WHERE a.alias = ?",
                arguments: [alias])
        }
    }

    /// Every alias, by name.
    public func aliases() throws(StoreError) -> [AliasRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT a.alias, c.name, a.updated_at FROM aliases a JOIN collections c ON c.id = a.collection_id ORDER BY a.alias"
            ).map { AliasRecord(alias: $0[0], collection: $0[1], updatedAt: Timestamp.parse($0[2]) ?? Date(timeIntervalSince1970: 0)) }
        }
    }

    /// Removes an alias. Returns whether it existed.
    public func deleteAlias(_ alias: String) throws(StoreError) -> Bool {
        try write("delete alias \(alias)") { db in
            try db.execute(sql: "DELETE FROM aliases WHERE alias = ?", arguments: [alias])
            return db.changesCount > 0
        }
    }

    // MARK: Helpers

    static func termsTable(_ collectionID: Int64) -> String { "point_terms_\(collectionID)" }

    private static let collectionSelect = """
        SELECT c.id, c.name, c.dimension, c.distance, c.text_analysis, c.version, c.created_at,
            (SELECT COUNT(*) FROM points p WHERE p.collection_id = c.id)
        FROM collections c
        """

    private static func collection(from row: Row) -> CollectionRecord {
        CollectionRecord(
            id: row[0], name: row[1], dimension: row[2], distance: row[3], textAnalysis: row[4], version: row[5],
            createdAt: Timestamp.parse(row[6]) ?? Date(timeIntervalSince1970: 0), pointCount: row[7])
    }

    private static func collection(named name: String, _ db: Database) throws -> CollectionRecord? {
        try Row.fetchOne(db, sql: collectionSelect + " WHERE c.name = ?", arguments: [name]).map(collection(from:))
    }

    private static func existingCollection(_ name: String, _ db: Database, _ path: String) throws -> CollectionRecord {
        guard let c = try collection(named: name, db) else {
            throw StoreError(.notFound, "no collection '\(name)' in \(path)")
        }
        return c
    }

    private static func bumpVersion(_ id: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE collections SET version = version + 1 WHERE id = ?", arguments: [id])
    }

    private func deleteWhere(_ condition: String, _ arguments: [String], _ collection: String) throws(StoreError) -> Int {
        try write("delete points from \(collection)") { db in
            let c = try Self.existingCollection(collection, db, path)
            let selected = "SELECT rowid FROM points WHERE collection_id = ? AND " + condition
            var args: StatementArguments = [c.id]
            for a in arguments { args += [a] }
            try db.execute(sql: "DELETE FROM \(Self.termsTable(c.id)) WHERE rowid IN (\(selected))", arguments: args)
            try db.execute(sql: "DELETE FROM points WHERE rowid IN (\(selected))", arguments: args)
            let count = db.changesCount
            if count > 0 { try Self.bumpVersion(c.id, db) }
            return count
        }
    }

    private static func jsonArray(_ strings: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func describe(_ error: any Error) -> String { SQLiteFile.describe(error) }

    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteFile.write(pool, path, what, body)
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteFile.read(pool, path, body)
    }
}
