import FlowCore
public import FlowStore
import Foundation
import Synchronization

/// The embedded vector store: one SQLite file (`VectorDatabase`) with exact search.
///
/// `search` compares the query with every vector of the collection (`VectorMatrix.topK`: dot
/// products over one contiguous array, rows split across the cores); cosine collections hold
/// L2-normalised vectors, so cosine similarity is that dot product. `searchText` computes BM25
/// (`BM25`, Lucene's variant, k1 = 1.5, b = 0.75) from the postings of the collection's FTS5
/// index. A collection's vectors and document lengths are read from the file once and kept in
/// memory until the collection changes (its stored version moves), so repeated searches — an
/// evaluation's hundreds of queries — read the file once.
public final class SQLiteVectorStore: VectorStore {
    public let database: VectorDatabase
    public let bm25: BM25
    /// Collections held in memory, by name.
    private let loaded = Mutex<[String: LoadedCollection]>([:])

    /// Opens (creating if needed) the store's file.
    /// - Throws: `VectorStoreError` `.storage` when it cannot be opened or migrated.
    public init(path: String, bm25: BM25 = BM25()) throws(VectorStoreError) {
        do {
            database = try VectorDatabase(path: path)
        } catch {
            throw VectorStoreError(.storage, error.message)
        }
        self.bm25 = bm25
    }

    public var location: String { database.path }

    @discardableResult
    public func createCollection(
        _ name: String, dimension: Int, distance: VectorDistance, textAnalysis: TextAnalysis
    ) async throws -> VectorCollectionInfo {
        precondition(dimension >= 1, "dimension")
        let record = try storage {
            try database.createCollection(name, dimension: dimension, distance: distance.rawValue, textAnalysis: textAnalysis.rawValue)
        }
        return try Self.info(record)
    }

    public func collectionInfo(_ name: String) async throws -> VectorCollectionInfo? {
        guard let resolved = try resolve(name) else { return nil }
        return try storage { try database.collection(named: resolved) }.map(Self.info)
    }

    public func listCollections() async throws -> [String] {
        try storage { try database.collections() }.map(\.name)
    }

    public func deleteCollection(_ name: String) async throws -> Bool {
        loaded.withLock { _ = $0.removeValue(forKey: name) }
        return try storage { try database.deleteCollection(name) }
    }

    public func upsert(_ points: [VectorPoint], into collection: String) async throws {
        let info = try existing(collection)
        var records: [VectorDatabase.PointRecord] = []
        records.reserveCapacity(points.count)
        let terms = info.textAnalysis.terms(of: points.map(\.text))
        for (point, terms) in zip(points, terms) {
            try Self.validate(point.vector, dimension: info.dimension, what: "point '\(point.id)'")
            let vector = info.distance == .cosine ? Self.normalised(point.vector) : point.vector
            records.append(
                VectorDatabase.PointRecord(
                    id: point.id, documentID: point.documentID, vector: vector, payload: JSONText.encode(point.payload),
                    text: point.text, terms: terms))
        }
        try storage { try database.upsert(records, into: info.name) }
    }

    public func delete(_ selector: PointSelector, from collection: String) async throws -> Int {
        let name = try existing(collection).name
        return try storage {
            switch selector {
            case .ids(let ids): try database.deletePoints(ids: ids, in: name)
            case .documents(let documents): try database.deleteDocuments(documents, in: name)
            case .documentsExcept(let documents, let keeping): try database.deleteDocuments(documents, keeping: keeping, in: name)
            case .documentsNotIn(let documents): try database.deleteDocuments(notIn: documents, in: name)
            }
        }
    }

    public func search(_ vector: [Float], k: Int, in collection: String) async throws -> [VectorSearchHit] {
        let c = try load(collection)
        try Self.validate(vector, dimension: c.matrix.dimension, what: "the query vector")
        let query = c.distance == .cosine ? Self.normalised(vector) : vector
        let matches = await c.matrix.topK(query, k: k)
        return try hits(matches.map { (row: $0.row, score: Double($0.score)) }, in: c)
    }

    public func searchText(_ query: String, k: Int, in collection: String) async throws -> [VectorSearchHit] {
        let c = try load(collection)
        let terms = c.textAnalysis.terms(query)
        guard k > 0, !terms.isEmpty, c.averageLength > 0 else { return [] }
        var queryFrequency: [String: Int] = [:]
        for term in terms { queryFrequency[term, default: 0] += 1 }
        let postings = try storage { try database.postings(of: Set(queryFrequency.keys), in: c.name) }
        var scores: [Int: Double] = [:]
        for (term, list) in postings {
            let idf = bm25.idf(documentFrequency: list.count, documentCount: c.rowids.count)
            let repeats = Double(queryFrequency[term]!)
            for posting in list {
                guard let row = c.rowByRowid[posting.rowid] else { continue }
                scores[row, default: 0] +=
                    repeats
                    * bm25.termScore(
                        idf: idf, termFrequency: posting.frequency, documentLength: Int(c.termCounts[row]),
                        averageLength: c.averageLength)
            }
        }
        // Rows are in id order, so the row breaks ties by id.
        let best = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(k)
        return try hits(best.map { (row: $0.key, score: $0.value) }, in: c)
    }

    public func setAlias(_ alias: String, to collection: String) async throws {
        do {
            try database.setAlias(alias, to: collection)
        } catch {
            throw VectorStoreError(error.code == .notFound ? .collectionNotFound : .storage, error.message)
        }
    }

    public func resolveAlias(_ alias: String) async throws -> String? {
        try storage { try database.resolveAlias(alias) }
    }

    // MARK: Loading

    /// A collection's vectors and BM25 statistics in memory.
    struct LoadedCollection: Sendable {
        var name: String
        var version: Int64
        var distance: VectorDistance
        var textAnalysis: TextAnalysis
        var rowids: [Int64]
        var matrix: VectorMatrix
        var termCounts: [Int32]
        var averageLength: Double
        var rowByRowid: [Int64: Int]
    }

    /// The collection (name or alias) in memory, read again when its version changed.
    private func load(_ name: String) throws -> LoadedCollection {
        let resolved = try existing(name).name
        let version = try storage { try database.version(of: resolved) }
        if let cached = loaded.withLock({ $0[resolved] }), cached.version == version {
            return cached
        }
        let v = try storage { try database.loadVectors(of: resolved) }
        let info = try Self.info(v.collection)
        var rowByRowid: [Int64: Int] = [:]
        rowByRowid.reserveCapacity(v.rowids.count)
        for (row, rowid) in v.rowids.enumerated() { rowByRowid[rowid] = row }
        let total = v.termCounts.reduce(0) { $0 + Int($1) }
        let c = LoadedCollection(
            name: resolved, version: v.collection.version, distance: info.distance, textAnalysis: info.textAnalysis,
            rowids: v.rowids, matrix: VectorMatrix(dimension: info.dimension, storage: v.vectors), termCounts: v.termCounts,
            averageLength: v.rowids.isEmpty ? 0 : Double(total) / Double(v.rowids.count), rowByRowid: rowByRowid)
        loaded.withLock { $0[resolved] = c }
        return c
    }

    private func hits(_ ranked: [(row: Int, score: Double)], in c: LoadedCollection) throws -> [VectorSearchHit] {
        let points = try storage { try database.points(rowids: ranked.map { c.rowids[$0.row] }) }
        return ranked.compactMap { entry in
            guard let p = points[c.rowids[entry.row]] else { return nil }
            return VectorSearchHit(
                id: p.id, documentID: p.documentID, score: entry.score, payload: JSONText.decodeObject(p.payload) ?? [:])
        }
    }

    // MARK: Helpers

    /// The collection named `name`, or the one the alias `name` serves.
    private func resolve(_ name: String) throws -> String? {
        if try storage({ try database.collection(named: name) }) != nil { return name }
        return try storage { try database.resolveAlias(name) }
    }

    private func existing(_ name: String) throws -> VectorCollectionInfo {
        guard let resolved = try resolve(name), let record = try storage({ try database.collection(named: resolved) }) else {
            throw VectorStoreError(.collectionNotFound, "no collection or alias '\(name)' in \(location)")
        }
        return try Self.info(record)
    }

    private func storage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            switch error.code {
            case .notFound: throw VectorStoreError(.collectionNotFound, error.message)
            case .conflict: throw VectorStoreError(.collectionMismatch, error.message)
            default: throw VectorStoreError(.storage, error.message, transient: true)
            }
        }
    }

    private static func info(_ r: VectorDatabase.CollectionRecord) throws(VectorStoreError) -> VectorCollectionInfo {
        guard let distance = VectorDistance(rawValue: r.distance), let analysis = TextAnalysis(rawValue: r.textAnalysis) else {
            throw VectorStoreError(.storage, "collection '\(r.name)' has unknown settings \(r.distance), \(r.textAnalysis)")
        }
        return VectorCollectionInfo(
            name: r.name, dimension: r.dimension, distance: distance, textAnalysis: analysis, pointCount: r.pointCount)
    }

    static func validate(_ vector: [Float], dimension: Int, what: String) throws(VectorStoreError) {
        guard vector.count == dimension else {
            throw VectorStoreError(.invalidVector, "\(what) has \(vector.count) values; the collection has dimension \(dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else {
            throw VectorStoreError(.invalidVector, "\(what) has a value that is not a finite number")
        }
    }

    /// `v / ‖v‖₂`, computed in Double; a zero vector stays zero.
    static func normalised(_ v: [Float]) -> [Float] {
        var sum = 0.0
        for x in v { sum += Double(x) * Double(x) }
        guard sum > 0 else { return v }
        let scale = 1 / sum.squareRoot()
        return v.map { Float(Double($0) * scale) }
    }
}
