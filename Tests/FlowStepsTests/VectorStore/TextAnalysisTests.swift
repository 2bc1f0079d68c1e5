import Foundation
import Testing

@testable import FlowSteps

@Suite("BM25 text analysis and scoring")
struct TextAnalysisTests {
    static let reference = BM25Reference.load()

    @Test("terms equal bm25s.tokenize's (Fixtures/bm25_reference.py)", arguments: TextAnalysis.allCases)
    func termsMatchBM25s(_ analysis: TextAnalysis) {
        let expected = Self.reference.analyses[analysis.rawValue]!.tokens
        for (text, tokens) in zip(Self.reference.corpus + Self.reference.queries, expected) {
            #expect(analysis.terms(text) == tokens, "\(text)")
        }
    }

    @Test("BM25 of one term, computed by hand")
    func bm25ByHand() {
        // Documents (english terms): d0 = wing flow over wing (4), d1 = shock wave flow (3),
        // d2 = boundari layer wing flow flow (5); avgdl = 12/3 = 4. Query "wing": N = 3, df = 2,
        // idf = ln(1 + (3 − 2 + 0.5)/(2 + 0.5)) = ln 1.6 = 0.4700036.
        // d0: tf = 2, |D| = 4: 2 / (2 + 1.5·(0.25 + 0.75·4/4)) = 2/3.5 = 0.5714286 → 0.2685735.
        // d2: tf = 1, |D| = 5: 1 / (1 + 1.5·(0.25 + 0.75·5/4)) = 1/2.78125 = 0.3595506 → 0.1689901.
        let bm25 = BM25()
        let idf = bm25.idf(documentFrequency: 2, documentCount: 3)
        #expect(abs(idf - 0.470_003_6) < 1e-7)
        #expect(abs(bm25.termScore(idf: idf, termFrequency: 2, documentLength: 4, averageLength: 4) - 0.268_573_5) < 1e-7)
        #expect(abs(bm25.termScore(idf: idf, termFrequency: 1, documentLength: 5, averageLength: 4) - 0.168_990_1) < 1e-7)
    }

    @Test("reciprocal rank fusion, computed by hand")
    func rrfByHand() {
        // A: a b c; B: c d. RRF (k = 60): a = 1/61 = 0.016393, b = 1/62 = 0.016129,
        // c = 1/63 + 1/61 = 0.015873 + 0.016393 = 0.032266, d = 1/62 = 0.016129.
        // Order: c, a, then b and d tie at 1/62 → by id: b, d.
        func hit(_ id: String) -> VectorSearchHit { VectorSearchHit(id: id, documentID: "doc-" + id, score: 0) }
        let fused = ReciprocalRankFusion.fuse([[hit("a"), hit("b"), hit("c")], [hit("c"), hit("d")]], limit: 10)
        #expect(fused.map(\.id) == ["c", "a", "b", "d"])
        let expected = [1.0 / 63 + 1.0 / 61, 1.0 / 61, 1.0 / 62, 1.0 / 62]
        for (h, s) in zip(fused, expected) { #expect(abs(h.score - s) < 1e-12) }
        #expect(fused[0].documentID == "doc-c")
        #expect(ReciprocalRankFusion.fuse([[hit("a"), hit("b")]], limit: 1).map(\.id) == ["a"])
    }
}
