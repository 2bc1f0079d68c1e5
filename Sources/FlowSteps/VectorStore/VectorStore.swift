/// A vector database holding collections of points (chunk vectors with text and payload):
/// the port the `upsert`, `evaluate` and `promote` steps use. Implementations: `SQLiteVectorStore`
/// (embedded default) and `QdrantVectorStore` (REST).
///
/// Wherever a method takes `in collection:` or `from collection:`, the name may also be an alias;
/// it is resolved first, as Qdrant does.
///
/// Errors: methods throw `VectorStoreError` (and `CancellationError` when cancelled while
/// waiting on the network).
public protocol VectorStore: Sendable {
    /// Where the store is, for messages: a file path or a URL (never with credentials).
    var location: String { get }

    /// Creates a collection, or returns the existing one when it has the same dimension,
    /// distance and text analysis. `dimension` ≥ 1.
    /// - Throws: `.collectionMismatch` when it exists with other settings.
    @discardableResult
    func createCollection(
        _ name: String, dimension: Int, distance: VectorDistance, textAnalysis: TextAnalysis
    ) async throws -> VectorCollectionInfo

    /// The collection (or the one the alias serves), or nil when there is none.
    func collectionInfo(_ name: String) async throws -> VectorCollectionInfo?

    /// The names of all collections, sorted.
    func listCollections() async throws -> [String]

    /// Deletes a collection and its points. Returns whether it existed.
    func deleteCollection(_ name: String) async throws -> Bool

    /// Writes points, replacing any with the same id. Vectors must have the collection's
    /// dimension and finite values.
    /// - Throws: `.collectionNotFound`, `.invalidVector`, `.storage` / `.request`.
    func upsert(_ points: [VectorPoint], into collection: String) async throws

    /// Deletes the selected points; returns how many there were.
    func delete(_ selector: PointSelector, from collection: String) async throws -> Int

    /// The `k` points nearest to `vector` (cosine similarity or dot product, by the collection's
    /// distance; exact, not approximate, for the SQLite store), best first.
    /// - Throws: `.invalidVector` when `vector` does not have the collection's dimension.
    func search(_ vector: [Float], k: Int, in collection: String) async throws -> [VectorSearchHit]

    /// The `k` points best matching `query` by BM25 (`BM25`, terms by the collection's
    /// `TextAnalysis`), best first; points sharing no term with the query are not returned.
    func searchText(_ query: String, k: Int, in collection: String) async throws -> [VectorSearchHit]

    /// `search` and `searchText` fused by reciprocal rank fusion (`ReciprocalRankFusion`,
    /// k = 60), each list cut at `max(k, 100)` hits before fusing; best first.
    func hybrid(query: String, vector: [Float], k: Int, in collection: String) async throws -> [VectorSearchHit]

    /// Points `alias` at `collection` atomically (creating or moving it).
    /// - Throws: `.collectionNotFound` when the collection does not exist.
    func setAlias(_ alias: String, to collection: String) async throws

    /// The collection `alias` serves, or nil when there is no such alias.
    func resolveAlias(_ alias: String) async throws -> String?
}

extension VectorStore {
    /// Hits each list of a hybrid search is cut at, at least.
    public static var hybridCandidates: Int { 100 }

    public func hybrid(query: String, vector: [Float], k: Int, in collection: String) async throws -> [VectorSearchHit] {
        let depth = max(k, Self.hybridCandidates)
        let dense = try await search(vector, k: depth, in: collection)
        let lexical = try await searchText(query, k: depth, in: collection)
        return ReciprocalRankFusion.fuse([dense, lexical], limit: k)
    }
}
