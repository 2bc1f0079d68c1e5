import Foundation

/// BM25 term weighting as Lucene's `BM25Similarity` computes it (since Lucene 8, without the
/// `(k1 + 1)` factor) and PyPI `bm25s` does by default (`method="lucene"`):
///
///     score(D, Q) = Σ_{t ∈ Q} idf(t) · tf(t, D) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl))
///     idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
///
/// where the sum runs over the query's terms with repeats (a term twice in the query counts
/// twice, as in `bm25s`), `tf` is the term's count in the document, `|D|` the document's
/// number of terms, `avgdl` the mean over the collection, `N` the number of documents and `df`
/// the number of documents containing the term. See Kamphuis, de Vries, Boytsov and Lin,
/// "Which BM25 Do You Mean? A Large-Scale Reproducibility Study of Scoring Variants" (ECIR 2020).
public struct BM25: Sendable, Hashable {
    /// Term-frequency saturation; `bm25s`'s default 1.5.
    public var k1: Double
    /// Length normalisation in [0, 1]; 0.75 as everywhere.
    public var b: Double

    public init(k1: Double = 1.5, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// `idf(t)` for a term in `documentFrequency` of `documentCount` documents; always > 0.
    public func idf(documentFrequency df: Int, documentCount n: Int) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// One term's contribution for a document: `idf · tf / (tf + k1 · (1 − b + b · |D| / avgdl))`.
    /// `averageLength` must be > 0.
    public func termScore(idf: Double, termFrequency tf: Int, documentLength: Int, averageLength: Double) -> Double {
        let tf = Double(tf)
        return idf * tf / (tf + k1 * (1 - b + b * Double(documentLength) / averageLength))
    }
}
