public import FlowCore

/// One result of a search: a point and its score. Lists of hits are sorted by score,
/// highest first; equal scores by `id` ascending (byte order), so results are deterministic.
public struct VectorSearchHit: Sendable, Hashable {
    public var id: String
    public var documentID: String
    /// Cosine similarity or dot product (`search`), BM25 score (`searchText`), or reciprocal
    /// rank fusion score (`hybrid`); higher is better.
    public var score: Double
    /// The point's payload as stored.
    public var payload: [String: ExpressionValue]

    public init(id: String, documentID: String, score: Double, payload: [String: ExpressionValue] = [:]) {
        self.id = id
        self.documentID = documentID
        self.score = score
        self.payload = payload
    }

    /// Orders hits by score descending, then id ascending.
    static func ranksBefore(_ a: VectorSearchHit, _ b: VectorSearchHit) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }
}
