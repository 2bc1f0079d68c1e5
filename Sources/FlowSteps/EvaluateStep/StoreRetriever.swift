import Foundation

/// Runs a gold set's queries through a vector store and turns the passages found into a
/// `RetrievalRun` over documents, the input of `RetrievalEvaluation`.
///
/// Passages (chunks) are mapped to documents by `documentKey`, best passage first: a document
/// takes the score of its first (best) passage and its later passages are dropped, so a
/// document counts once, at the rank of its best passage. When fewer than `depth` documents
/// come out of `depth` passages, the store is asked again for twice as many passages, until
/// `depth` documents are found or the collection is exhausted. (For `hybrid`, asking for more
/// passages also deepens the two lists it fuses: see `VectorStore.hybrid`.)
public struct StoreRetriever: Sendable {
    public var store: any VectorStore
    /// A collection name or an alias.
    public var collection: String
    /// Documents kept per query, ≥ 1.
    public var depth: Int
    public var documentKey: DocumentKey
    /// Where `DocumentKey.path` keys are relative to; absolute.
    public var baseFolder: String
    /// Queries searched at once.
    public var concurrency: Int

    /// A retriever over `collection` of `store`.
    public init(
        store: any VectorStore, collection: String, depth: Int, documentKey: DocumentKey = .documentID, baseFolder: String,
        concurrency: Int? = nil
    ) {
        precondition(depth >= 1, "depth")
        self.store = store
        self.collection = collection
        self.depth = depth
        self.documentKey = documentKey
        self.baseFolder = baseFolder
        self.concurrency = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Searches every query in `mode` and returns the documents found, keyed by query id.
    ///
    /// - Parameters:
    ///   - vectors: one vector per query, in `queries` order; required for `vector` and `hybrid`.
    ///   - passageCount: the collection's number of points (bounds the deepening).
    /// - Throws: `VectorStoreError` from the store; `CancellationError`.
    public func run(
        _ queries: [GoldSet.Query], mode: RetrievalMode, vectors: [[Float]]?, passageCount: Int
    ) async throws -> RetrievalRun {
        precondition(!mode.needsEmbedding || vectors?.count == queries.count, "one vector per query")
        var rankings = [[RetrievalRun.Entry]](repeating: [], count: queries.count)
        try await withThrowingTaskGroup(of: (Int, [RetrievalRun.Entry]).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                let query = queries[index]
                let vector = vectors?[index]
                group.addTask {
                    (index, try await documents(for: query.text, vector: vector, mode: mode, passageCount: passageCount))
                }
            }
            while next < min(concurrency, queries.count) { start() }
            while let (index, entries) = try await group.next() {
                rankings[index] = entries
                if next < queries.count { start() }
            }
        }
        var byQuery: [String: [RetrievalRun.Entry]] = [:]
        for (query, entries) in zip(queries, rankings) { byQuery[query.id] = entries }
        return RetrievalRun(rankings: byQuery, tag: "flow-\(mode.rawValue)")
    }

    /// The best `depth` documents for one query, best first.
    func documents(for text: String, vector: [Float]?, mode: RetrievalMode, passageCount: Int) async throws -> [RetrievalRun.Entry] {
        var k = depth
        while true {
            try Task.checkCancellation()
            let hits: [VectorSearchHit]
            switch mode {
            case .vector: hits = try await store.search(vector!, k: k, in: collection)
            case .bm25: hits = try await store.searchText(text, k: k, in: collection)
            case .hybrid: hits = try await store.hybrid(query: text, vector: vector!, k: k, in: collection)
            }
            let entries = Self.firstPassagePerDocument(hits, key: documentKey, base: baseFolder, limit: depth)
            if entries.count >= depth || hits.count < k || k >= passageCount { return entries }
            k = min(k * 2, max(passageCount, k + 1))
        }
    }

    /// Documents of `hits` (best first) in order of their first passage, each with that
    /// passage's score; at most `limit`. Hits without a key are skipped.
    static func firstPassagePerDocument(_ hits: [VectorSearchHit], key: DocumentKey, base: String, limit: Int) -> [RetrievalRun.Entry] {
        var seen = Set<String>()
        var entries: [RetrievalRun.Entry] = []
        for hit in hits {
            guard entries.count < limit else { break }
            guard let document = key.key(of: hit, base: base), seen.insert(document).inserted else { continue }
            entries.append(RetrievalRun.Entry(documentID: document, score: hit.score))
        }
        return entries
    }
}
