import Foundation

/// Fixtures/bm25-reference.json, written by Fixtures/bm25_reference.py with PyPI bm25s.
struct BM25Reference: Decodable, Sendable {
    struct Analysis: Decodable, Sendable {
        /// Terms of every corpus text, then of every query.
        var tokens: [[String]]
        /// Per query, the score of every corpus text.
        var scores: [[Double]]
    }

    struct CranfieldQuery: Decodable, Sendable {
        var query: String
        var ids: [String]
        var scores: [Double]
    }

    var corpus: [String]
    var queries: [String]
    var analyses: [String: Analysis]
    var cranfield: [CranfieldQuery]

    static func load() -> BM25Reference {
        let url = URL(fileURLWithPath: VectorFixtures.path("VectorStore", "bm25-reference.json"))
        return try! JSONDecoder().decode(BM25Reference.self, from: Data(contentsOf: url))
    }
}
