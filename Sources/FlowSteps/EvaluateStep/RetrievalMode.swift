/// How `evaluate` asks the vector store for a query's passages.
public enum RetrievalMode: String, Sendable, Hashable, CaseIterable {
    /// Nearest vectors to the embedded query (`VectorStore.search`).
    case vector
    /// BM25 over the passages' terms (`VectorStore.searchText`).
    case bm25
    /// Both, fused by reciprocal rank fusion (`VectorStore.hybrid`).
    case hybrid

    /// Whether the mode needs the query's vector.
    public var needsEmbedding: Bool { self != .bm25 }
}
